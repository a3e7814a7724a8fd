package io.jenkins.plugins.releaseline.engine.rollout.lambda;

/**
 * The persisted document of a {@link LambdaDriver} (the JSON of its driver row): the request as it was checked,
 * and what the deployment learnt on the way (the revision of the updated code, the published version, the
 * rollout). Plain fields, read and written by Jackson; nothing secret is kept here (credentials are given to
 * each driver instance).
 */
public final class LambdaDriverState {
    public long promotionId;
    public String environment;
    public String function;
    public String alias;
    public String artifact;
    public String version;
    public String digest;
    public String s3Bucket;
    public String s3Key;
    public String s3Version;
    public String zipPath;
    public String strategy;
    public String probePayload;
    public String principal;
    public long gateDeadlineMillis;
    public long gateTimeoutMillis;
    public long updateTimeoutMillis;
    /** Transient failures of the current phase are retried until then. */
    public long phaseDeadlineMillis;
    public String gateSummary;
    /** {@code $LATEST}'s RevisionId once the update succeeded: the precondition of the publish. */
    public String revisionId;
    public String newVersion;
    public String stableVersion;
    public String rolloutId;
    public String routerName;
    public int rolloutEventsLogged;
    public String lastError;
    /** The step's result once done. */
    public String result;
    /** Why it ended (done or failed). */
    public String outcome;

    LambdaCode code() {
        return zipPath != null ? new LambdaCode.ZipFile(java.nio.file.Path.of(zipPath)) : new LambdaCode.S3Object(s3Bucket, s3Key, s3Version);
    }

    LambdaCodeDigest expected() {
        return LambdaCodeDigest.parse(digest);
    }
}
