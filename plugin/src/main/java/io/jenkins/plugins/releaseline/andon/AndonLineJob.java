package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.LineJob;
import io.jenkins.plugins.releaseline.engine.andon.ReleasePolicy;
import io.jenkins.plugins.releaseline.engine.andon.Stops;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A job whose failure stops the line; see {@link LineJob}. */
public class AndonLineJob implements Describable<AndonLineJob> {

    private final String jobPath;
    private String scope = "everything";
    private String stops = "deployments";
    private String releasePolicy = ReleasePolicy.AUTO_RELEASE.name();

    @DataBoundConstructor
    public AndonLineJob(String jobPath) {
        this.jobPath = Util.fixEmptyAndTrim(jobPath);
    }

    public String getJobPath() {
        return jobPath;
    }

    public String getScope() {
        return scope;
    }

    @DataBoundSetter
    public void setScope(String scope) {
        this.scope = Util.fixEmptyAndTrim(scope) == null ? "everything" : scope.trim();
    }

    public String getStops() {
        return stops;
    }

    @DataBoundSetter
    public void setStops(String stops) {
        this.stops = Stops.parse(stops).text();
    }

    public String getReleasePolicy() {
        return releasePolicy;
    }

    @DataBoundSetter
    public void setReleasePolicy(String releasePolicy) {
        this.releasePolicy = Util.fixEmptyAndTrim(releasePolicy) == null
                ? ReleasePolicy.AUTO_RELEASE.name()
                : ReleasePolicy.valueOf(releasePolicy.trim()).name();
    }

    LineJob toEngine() {
        return new LineJob(jobPath, FreezeScope.parse(scope), Stops.parse(stops), ReleasePolicy.valueOf(releasePolicy));
    }

    @Extension
    @Symbol("line")
    public static class DescriptorImpl extends Descriptor<AndonLineJob> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LineJob_DisplayName();
        }

        @POST
        public FormValidation doCheckScope(@QueryParameter String value) {
            try {
                FreezeScope.parse(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public ListBoxModel doFillStopsItems() {
            return AndonWindow.DescriptorImpl.stopsItems();
        }

        public ListBoxModel doFillReleasePolicyItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("Release when the line job succeeds again", ReleasePolicy.AUTO_RELEASE.name());
            m.add("Stay pulled until a person releases it", ReleasePolicy.STAY_PULLED.name());
            return m;
        }
    }
}
