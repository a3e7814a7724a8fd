package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A traffic router as an administrator defines it once, by name, in the global configuration (or JCasC), for
 * pipelines to name in {@code blueGreenDeploy(router: ...)}. Each kind turns itself into the engine's
 * {@link TrafficRouter}; every check of the values is the engine's.
 */
public abstract class RouterDefinition extends AbstractDescribableImpl<RouterDefinition> {

    private final String name;
    private String backends = "blue,green";
    private String targetUrls;

    protected RouterDefinition(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
    }

    /** The backends (colours) in order, comma-separated: {@code blue,green}. */
    public String getBackends() {
        return backends;
    }

    @DataBoundSetter
    public void setBackends(String backends) {
        this.backends = Util.fixEmptyAndTrim(backends) == null ? "blue,green" : backends.trim();
    }

    /** Where each colour answers directly, one {@code colour=URL} a line; given to the deploy body as RELEASE_LINE_TARGET_URL. */
    @CheckForNull
    public String getTargetUrls() {
        return targetUrls;
    }

    @DataBoundSetter
    public void setTargetUrls(String targetUrls) {
        this.targetUrls = Util.fixEmptyAndTrim(targetUrls);
    }

    @NonNull
    public List<String> backendList() {
        List<String> out = new ArrayList<>();
        for (String b : backends.split("[,\\s]+")) {
            if (!b.isEmpty()) {
                out.add(Inputs.requireName("backends", b, 100));
            }
        }
        return out;
    }

    @NonNull
    public Map<String, String> targetUrlMap() {
        return pairs("targetUrls", targetUrls);
    }

    /** Parses {@code key=value} lines (or comma-separated pairs), refusing anything else by field name. */
    static Map<String, String> pairs(String field, @CheckForNull String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("[\\n,]")) {
            String l = line.trim();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(field + ": '" + Inputs.printable(l) + "' is not name=value");
            }
            out.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
        return out;
    }

    /**
     * The engine's router for a build ({@code run}, for credentials scoped to its job; null outside a build).
     * {@code commands} runs the pipeline's routing code where this kind needs it.
     */
    @NonNull
    public abstract TrafficRouter toRouter(@CheckForNull Run<?, ?> run, @CheckForNull CommandRouter.Commands commands)
            throws AbortException;

    /** The kinds of routers. */
    public abstract static class RouterDescriptor extends Descriptor<RouterDefinition> {}
}
