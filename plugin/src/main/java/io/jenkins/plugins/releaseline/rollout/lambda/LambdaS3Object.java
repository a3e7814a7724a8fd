package io.jenkins.plugins.releaseline.rollout.lambda;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code s3: [bucket: 'builds', key: 'orders/orders.zip', version: '3Lg...']}: one object version of the zip. */
public final class LambdaS3Object extends AbstractDescribableImpl<LambdaS3Object> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final String key;
    private final String version;

    @DataBoundConstructor
    public LambdaS3Object(String bucket, String key, String version) {
        this.bucket = bucket;
        this.key = key;
        this.version = version;
    }

    public String getBucket() {
        return bucket;
    }

    public String getKey() {
        return key;
    }

    public String getVersion() {
        return version;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket", bucket);
        m.put("key", key);
        m.put("version", version);
        return m;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<LambdaS3Object> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LambdaS3Object_DisplayName();
        }
    }
}
