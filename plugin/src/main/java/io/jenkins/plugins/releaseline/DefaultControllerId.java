package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import jenkins.model.Jenkins;
import jenkins.model.JenkinsLocationConfiguration;

/**
 * The controller id used when none is configured: the configured root URL as a name ({@code ci.example.com-jenkins}),
 * or, without a root URL, a prefix of the instance id. Stable across restarts, so rows keep their origin.
 */
final class DefaultControllerId {

    private static final int MAX_LENGTH = 100;

    private DefaultControllerId() {}

    @NonNull
    static String current() {
        return of(JenkinsLocationConfiguration.get().getUrl(), Jenkins.get().getLegacyInstanceId());
    }

    @NonNull
    static String of(@CheckForNull String rootUrl, @NonNull String instanceId) {
        String fromUrl = rootUrl == null ? "" : fromUrl(rootUrl);
        return fromUrl.isEmpty() ? "jenkins-" + instanceId.substring(0, Math.min(12, instanceId.length())) : fromUrl;
    }

    private static String fromUrl(String rootUrl) {
        URI uri;
        try {
            uri = new URI(rootUrl.trim());
        } catch (URISyntaxException e) {
            return "";
        }
        if (uri.getHost() == null) {
            return "";
        }
        StringBuilder name = new StringBuilder(uri.getHost().toLowerCase(Locale.ROOT));
        if (uri.getPort() != -1) {
            name.append('-').append(uri.getPort());
        }
        if (uri.getPath() != null) {
            name.append('-').append(uri.getPath());
        }
        String cleaned = name.toString()
                .replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) : cleaned;
    }
}
