package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.nio.file.Path;
import java.util.Objects;

/** Where a function's new code comes from: one version of an object in S3, or a zip file at hand. */
public sealed interface LambdaCode {

    /** What the log shows, e.g. {@code s3://builds/orders.zip?versionId=3Lg...}. */
    String describe();

    /**
     * An S3 object at one exact object version (S3 versioning on), so every environment gets the same bytes
     * even if the key is overwritten later.
     */
    record S3Object(String bucket, String key, String version) implements LambdaCode {
        public S3Object {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("s3.bucket: must name the bucket that holds the zip");
            }
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("s3.bucket: '" + Inputs.printable(bucket) + "' is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')");
            }
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("s3.key: must name the zip's key in bucket '" + bucket + "', such as orders/orders-1.4.2.zip");
            }
            Inputs.rejectControlCharacters("s3.key", key, false);
            Inputs.requireLength("s3.key", key, 1024);
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException("s3.version: must give the object version id (the bucket must have versioning on), "
                        + "so that every environment gets the same bytes; it is printed by the upload (aws s3api put-object ... -> VersionId)");
            }
            Inputs.rejectControlCharacters("s3.version", version, false);
            Inputs.requireLength("s3.version", version, 1024);
        }

        @Override
        public String describe() {
            return "s3://" + bucket + "/" + key + "?versionId=" + version;
        }
    }

    /** A zip file; its SHA-256 is computed before anything is sent. */
    record ZipFile(Path path) implements LambdaCode {
        public ZipFile {
            Objects.requireNonNull(path, "zip");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }
}
