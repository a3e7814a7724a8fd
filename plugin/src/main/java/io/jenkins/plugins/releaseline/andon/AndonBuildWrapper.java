package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import java.io.IOException;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Respect Andon freezes" for freestyle jobs: the build stops before its steps run if a freeze holds a
 * deployment (or, with kind {@code build}, any build) of this job to {@code environment} back.
 */
public class AndonBuildWrapper extends SimpleBuildWrapper {

    private String environment;
    private String kind = "deployment";

    @DataBoundConstructor
    public AndonBuildWrapper() {}

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = Util.fixEmptyAndTrim(environment);
    }

    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String kind) {
        this.kind = AndonWork.kind(kind).name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean requiresWorkspace() {
        return false;
    }

    @Override
    public void setUp(Context context, Run<?, ?> build, TaskListener listener, EnvVars initialEnvironment)
            throws IOException, InterruptedException {
        // From Pipeline this runs on the CPS VM thread: only the board held in memory is read, never the store.
        FreezeBoard board = AndonService.get().current();
        if (board == null) {
            jenkins.util.Timer.get().submit(() -> AndonService.get().board());
            String since = io.jenkins.plugins.releaseline.ReleaseLineStore.get()
                    .availability()
                    .unavailableSince()
                    .map(t -> "the store is unavailable since " + t)
                    .orElse("it has not been read from the store yet; try again in a moment");
            throw new AbortException(Messages.BoardUnavailable(since));
        }
        Decision d = board.check(AndonWork.of(build, environment), AndonWork.kind(kind));
        if (d.blocked()) {
            // from Pipeline this runs on the CPS VM thread: the count is written to the store on Timer
            String work = build.getExternalizableId();
            jenkins.util.Timer.get().submit(() -> board.noteBlocked(d, work));
            throw new AbortException(d.message());
        }
        listener.getLogger().println(Messages.BuildWrapper_Allowed());
    }

    @Extension
    @Symbol("respectAndon")
    public static class DescriptorImpl extends BuildWrapperDescriptor {

        @Override
        public boolean isApplicable(AbstractProject<?, ?> item) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BuildWrapper_DisplayName();
        }
    }
}
