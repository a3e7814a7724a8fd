package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeRequest;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;

/**
 * Puts promoted code into a function and publishes it as a version, without touching any alias:
 * update the code from an S3 object version or a zip, wait until {@code LastUpdateStatus} is
 * {@code Successful} (a deadline; {@code Failed} is reported with Lambda's reason), check that
 * {@code $LATEST}'s {@code CodeSha256} is the promoted digest, publish with that digest as a precondition, and
 * check the published version's digest again. A zip whose own digest is not the promoted one is refused before
 * anything is sent.
 */
public final class LambdaDeployer {

    /** Waits between reads of the update status. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final LambdaClient client;
    private final Duration updateDeadline;
    private final Duration pollInterval;
    private final Pause pause;

    public LambdaDeployer(LambdaClient client, Duration updateDeadline, Duration pollInterval) {
        this(client, updateDeadline, pollInterval, d -> Thread.sleep(d.toMillis()));
    }

    public LambdaDeployer(LambdaClient client, Duration updateDeadline, Duration pollInterval, Pause pause) {
        this.client = Objects.requireNonNull(client, "client");
        if (updateDeadline == null || updateDeadline.isNegative() || updateDeadline.isZero()) {
            throw new IllegalArgumentException("updateDeadline: must be a positive duration, such as 5 minutes");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval: must be a positive duration, such as 2 seconds");
        }
        this.updateDeadline = updateDeadline;
        this.pollInterval = pollInterval;
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /**
     * Updates {@code function}'s code and publishes it, waiting on this thread (for callers that may block: the
     * command line). {@code promoted} is the digest the promotion gates let through ({@code sha256:<hex>} or hex).
     * Throws {@link IllegalArgumentException} for input that names nothing that exists (a function, a bucket, key
     * or object version), {@link LambdaDeployException} when Lambda's update fails or the bytes are not the
     * promoted ones; no alias is touched in any case. A loop over {@link #startUpdate}, {@link #status} and
     * {@link #publish}, the steps a driver calls one at a time.
     */
    public LambdaPublishedVersion deploy(String function, LambdaCode code, String promoted, Consumer<String> log)
            throws InterruptedException {
        String fn = LambdaNames.function(function);
        Objects.requireNonNull(code, "code: give s3: [bucket, key, version] or zip");
        LambdaCodeDigest expected = LambdaCodeDigest.parse(promoted);
        Consumer<String> out = log == null ? s -> {} : log;
        byte[] zipBytes = code instanceof LambdaCode.ZipFile zip ? checkedZip(zip, expected) : null;

        waitForUpdate(fn, "before the update", out);
        out.accept("Updating the code of " + fn + " from " + code.describe());
        UpdateFunctionCodeResponse updated = startUpdate(fn, code, zipBytes);
        out.accept("Update started: LastUpdateStatus " + updated.lastUpdateStatusAsString());
        GetFunctionConfigurationResponse done = waitForUpdate(fn, "after the update", out);
        requireUpdated(fn, code, done, expected);
        LambdaPublishedVersion v = publish(fn, expected, done.revisionId());
        out.accept("Published " + fn + " version " + v.version() + " with CodeSha256 " + v.digest().codeSha256() + " = " + v.digest().promoted());
        return v;
    }

    /**
     * Reads a zip and refuses it unless its SHA-256 is the promoted digest: a zip that is not the promoted one never
     * reaches Lambda.
     */
    public static byte[] checkedZip(LambdaCode.ZipFile zip, LambdaCodeDigest expected) {
        byte[] bytes = readZip(zip);
        LambdaCodeDigest actual = LambdaCodeDigest.of(bytes);
        if (!actual.equals(expected)) {
            throw new LambdaDeployException("digest: " + zip.path() + " has " + actual.promoted() + ", but the promoted digest is "
                    + expected.promoted() + "; deploy the zip that was promoted, not a rebuilt one", false);
        }
        return bytes;
    }

    /**
     * One {@code UpdateFunctionCode} call (returns once Lambda accepted it; the update then runs for a while).
     * {@code zipBytes} are the checked bytes of a {@link LambdaCode.ZipFile}, null for S3.
     */
    public UpdateFunctionCodeResponse startUpdate(String fn, LambdaCode code, byte[] zipBytes) {
        UpdateFunctionCodeRequest.Builder request = UpdateFunctionCodeRequest.builder().functionName(fn);
        if (code instanceof LambdaCode.ZipFile) {
            request.zipFile(SdkBytes.fromByteArray(Objects.requireNonNull(zipBytes, "zip bytes")));
        } else if (code instanceof LambdaCode.S3Object s3) {
            request.s3Bucket(s3.bucket()).s3Key(s3.key()).s3ObjectVersion(s3.version());
        }
        try {
            return client.updateFunctionCode(request.build());
        } catch (SdkException e) {
            throw refusedUpdate(fn, code, e);
        }
    }

    /** One read of {@code $LATEST}'s configuration (its {@code LastUpdateStatus} and {@code CodeSha256}). */
    public GetFunctionConfigurationResponse status(String fn) {
        try {
            return client.getFunctionConfiguration(b -> b.functionName(fn));
        } catch (SdkException e) {
            if (LambdaFailures.notFound(e)) {
                throw new IllegalArgumentException("function: '" + fn + "' does not exist in this region ("
                        + LambdaFailures.describe(e) + "); check the function name and the region", e);
            }
            throw new LambdaDeployException("function: reading the configuration of '" + fn + "' failed ("
                    + LambdaFailures.describe(e) + ")", LambdaFailures.retryable(e), e);
        }
    }

    /**
     * Checks a finished update: not {@code Failed}, and {@code $LATEST}'s {@code CodeSha256} is the promoted digest.
     */
    public static void requireUpdated(String fn, LambdaCode code, GetFunctionConfigurationResponse c, LambdaCodeDigest expected) {
        if (c.lastUpdateStatus() == LastUpdateStatus.FAILED) {
            throw new LambdaDeployException("function: the update of '" + fn + "' failed: " + c.lastUpdateStatusReason()
                    + " (" + c.lastUpdateStatusReasonCodeAsString() + "); nothing was published and no alias was changed", false);
        }
        LambdaCodeDigest latest = LambdaCodeDigest.fromCodeSha256(c.codeSha256());
        if (!latest.equals(expected)) {
            throw new LambdaDeployException("digest: " + code.describe() + " gave " + fn + " CodeSha256 " + latest.codeSha256() + " ("
                    + latest.promoted() + "), but the promoted digest is " + expected.promoted() + " (CodeSha256 " + expected.codeSha256()
                    + "); nothing was published and no alias was changed. Deploy the object version that was promoted", false);
        }
    }

    /**
     * One {@code PublishVersion} with the promoted digest and the revision of {@code $LATEST} as preconditions, and
     * the published version's digest checked again.
     */
    public LambdaPublishedVersion publish(String fn, LambdaCodeDigest expected, String revisionId) {
        PublishVersionResponse published;
        try {
            published = client.publishVersion(b -> b.functionName(fn).codeSha256(expected.codeSha256()).revisionId(revisionId));
        } catch (SdkException e) {
            throw new LambdaDeployException("function: publishing a version of '" + fn + "' failed (" + LambdaFailures.describe(e)
                    + "); no alias was changed", LambdaFailures.retryable(e), e);
        }
        LambdaCodeDigest got = LambdaCodeDigest.fromCodeSha256(published.codeSha256());
        if (!got.equals(expected)) {
            throw new LambdaDeployException("digest: published version " + published.version() + " of " + fn + " has CodeSha256 "
                    + got.codeSha256() + " (" + got.promoted() + "), but the promoted digest is " + expected.promoted()
                    + " (CodeSha256 " + expected.codeSha256() + "); no alias was changed", false);
        }
        return new LambdaPublishedVersion(fn, published.version(), got);
    }

    /**
     * The newest published version whose code is {@code expected}, if any: after a publish whose answer was lost,
     * this finds the version it made instead of publishing again. Reads every page of {@code ListVersionsByFunction}.
     */
    public Optional<LambdaPublishedVersion> findPublished(String fn, LambdaCodeDigest expected) {
        String best = null;
        String marker = null;
        try {
            do {
                String m = marker;
                ListVersionsByFunctionResponse page = client.listVersionsByFunction(b -> b.functionName(fn).marker(m).maxItems(50));
                for (FunctionConfiguration v : page.versions()) {
                    if (v.version() == null || !v.version().matches("[0-9]+") || v.codeSha256() == null) {
                        continue;
                    }
                    if (LambdaCodeDigest.fromCodeSha256(v.codeSha256()).equals(expected)
                            && (best == null || Long.parseLong(v.version()) > Long.parseLong(best))) {
                        best = v.version();
                    }
                }
                marker = page.nextMarker();
            } while (marker != null && !marker.isEmpty());
        } catch (SdkException e) {
            throw new LambdaDeployException("function: listing the versions of '" + fn + "' failed (" + LambdaFailures.describe(e)
                    + ")", LambdaFailures.retryable(e), e);
        }
        return best == null ? Optional.empty() : Optional.of(new LambdaPublishedVersion(fn, best, expected));
    }

    /** Reads the configuration until the last update is no longer in progress, within the deadline. */
    private GetFunctionConfigurationResponse waitForUpdate(String fn, String when, Consumer<String> out) throws InterruptedException {
        long deadline = System.nanoTime() + updateDeadline.toNanos();
        boolean said = false;
        while (true) {
            GetFunctionConfigurationResponse c;
            try {
                c = status(fn);
            } catch (LambdaDeployException e) {
                if (!e.retryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                pause.sleep(pollInterval);
                continue;
            }
            LastUpdateStatus status = c.lastUpdateStatus();
            if (status == LastUpdateStatus.FAILED && when.startsWith("after")) {
                requireUpdated(fn, null, c, null);
            }
            if (status != LastUpdateStatus.IN_PROGRESS) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                throw new LambdaDeployException("function: the update of '" + fn + "' was still InProgress " + when + " after "
                        + updateDeadline.toSeconds() + " s; nothing was published and no alias was changed", true);
            }
            if (!said) {
                out.accept("Waiting for the update of " + fn + " to finish (LastUpdateStatus InProgress)");
                said = true;
            }
            pause.sleep(pollInterval);
        }
    }

    private static RuntimeException refusedUpdate(String fn, LambdaCode code, SdkException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (code instanceof LambdaCode.S3Object s3 && "InvalidParameterValueException".equals(LambdaFailures.errorCode(e))) {
            if (message.contains("NoSuchVersion")) {
                return new IllegalArgumentException("s3.version: object version '" + s3.version() + "' of s3://" + s3.bucket() + "/"
                        + s3.key() + " does not exist (" + LambdaFailures.describe(e) + "); give the VersionId the upload printed", e);
            }
            if (message.contains("NoSuchKey")) {
                return new IllegalArgumentException("s3.key: s3://" + s3.bucket() + "/" + s3.key() + " does not exist ("
                        + LambdaFailures.describe(e) + ")", e);
            }
            if (message.contains("NoSuchBucket")) {
                return new IllegalArgumentException("s3.bucket: bucket '" + s3.bucket() + "' does not exist in this region ("
                        + LambdaFailures.describe(e) + ")", e);
            }
        }
        if (LambdaFailures.notFound(e)) {
            return new IllegalArgumentException("function: '" + fn + "' does not exist in this region (" + LambdaFailures.describe(e) + ")", e);
        }
        return new LambdaDeployException("function: Lambda refused to update the code of '" + fn + "' from " + code.describe()
                + " (" + LambdaFailures.describe(e) + "); no alias was changed", LambdaFailures.retryable(e), e);
    }

    private static byte[] readZip(LambdaCode.ZipFile zip) {
        try {
            return Files.readAllBytes(zip.path());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("zip: " + zip.path() + " does not exist; build the zip first or give s3: [...]", e);
        } catch (IOException e) {
            throw new UncheckedIOException("zip: could not read " + zip.path(), e);
        }
    }
}
