package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * nginx on the controller's own host: the router rewrites an upstream file, checks it with {@code nginx -t} and
 * reloads nginx, all as local commands of the controller process.
 */
public class NginxRouterDefinition extends RouterDefinition {

    private final String mainConfig;
    private final String upstreamFile;
    private final String upstream;
    private String servers;
    private String prefix;
    private String binary = "/usr/sbin/nginx";
    private String upstreamDirectives;

    @DataBoundConstructor
    public NginxRouterDefinition(String name, String mainConfig, String upstreamFile, String upstream) {
        super(name);
        this.mainConfig = Util.fixEmptyAndTrim(mainConfig);
        this.upstreamFile = Util.fixEmptyAndTrim(upstreamFile);
        this.upstream = Util.fixEmptyAndTrim(upstream);
    }

    public String getMainConfig() {
        return mainConfig;
    }

    public String getUpstreamFile() {
        return upstreamFile;
    }

    public String getUpstream() {
        return upstream;
    }

    /** {@code colour=host:port} a line. */
    public String getServers() {
        return servers;
    }

    @DataBoundSetter
    public void setServers(String servers) {
        this.servers = Util.fixEmptyAndTrim(servers);
    }

    public String getPrefix() {
        return prefix;
    }

    @DataBoundSetter
    public void setPrefix(String prefix) {
        this.prefix = Util.fixEmptyAndTrim(prefix);
    }

    public String getBinary() {
        return binary;
    }

    @DataBoundSetter
    public void setBinary(String binary) {
        this.binary = Util.fixEmptyAndTrim(binary) == null ? "/usr/sbin/nginx" : binary.trim();
    }

    /** Extra directives of the upstream block, one a line ({@code keepalive 32}). */
    public String getUpstreamDirectives() {
        return upstreamDirectives;
    }

    @DataBoundSetter
    public void setUpstreamDirectives(String upstreamDirectives) {
        this.upstreamDirectives = Util.fixEmptyAndTrim(upstreamDirectives);
    }

    @NonNull
    @Override
    public TrafficRouter toRouter(Run<?, ?> run, CommandRouter.Commands commands) {
        List<String> directives = new ArrayList<>();
        if (upstreamDirectives != null) {
            for (String d : upstreamDirectives.split("\n")) {
                if (!d.isBlank()) {
                    directives.add(d.trim().replaceAll(";$", ""));
                }
            }
        }
        NginxRouter.Settings settings = new NginxRouter.Settings(
                Path.of(binary),
                prefix == null ? null : Path.of(prefix),
                Path.of(mainConfig),
                Path.of(upstreamFile),
                upstream,
                pairs("servers", servers),
                directives,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        return new NginxRouter(getName(), settings, backendList());
    }

    @Extension
    @Symbol("nginx")
    public static class DescriptorImpl extends RouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.NginxRouterDefinition_DisplayName();
        }
    }
}
