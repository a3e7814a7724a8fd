package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeConflictException;
import io.jenkins.plugins.releaseline.engine.andon.NotPermittedException;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code pullAndonCord reason: 'smoke tests failed in prod', scope: 'environment:prod'} pulls the cord from a
 * pipeline and returns the freeze's key ({@code freeze-12}). The build is recorded as the one who pulled, and
 * linked from the freeze unless {@code link} says otherwise.
 */
public final class PullAndonCordStep extends Step {

    private final String reason;
    private String scope = "everything";
    private String stops;
    private String link;
    private int expiresInMinutes;

    @DataBoundConstructor
    public PullAndonCordStep(String reason) {
        this.reason = reason;
    }

    public String getReason() {
        return reason;
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
        this.stops = Util.fixEmptyAndTrim(stops);
    }

    public String getLink() {
        return link;
    }

    @DataBoundSetter
    public void setLink(String link) {
        this.link = Util.fixEmptyAndTrim(link);
    }

    public int getExpiresInMinutes() {
        return expiresInMinutes;
    }

    @DataBoundSetter
    public void setExpiresInMinutes(int expiresInMinutes) {
        this.expiresInMinutes = expiresInMinutes;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<String> {
        private static final long serialVersionUID = 1L;
        private final transient PullAndonCordStep step;

        Execution(StepContext context, PullAndonCordStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected String run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            Map<String, String> form = new HashMap<>();
            form.put("scope", step.scope);
            form.put("stops", step.stops);
            form.put("reason", step.reason);
            form.put("link", step.link == null ? "/" + run.getUrl() : step.link);
            form.put("expiresInMinutes", step.expiresInMinutes == 0 ? null : String.valueOf(step.expiresInMinutes));
            try {
                PullRequest request = AndonApi.pullRequest(form::get, Instant.now());
                Freeze f = AndonService.get().freshBoard().pull(run.getExternalizableId(), request);
                getContext()
                        .get(TaskListener.class)
                        .getLogger()
                        .println("Andon: pulled freeze-" + f.id() + " (" + f.scope() + "): " + f.reason());
                return "freeze-" + f.id();
            } catch (IllegalArgumentException | FreezeConflictException | NotPermittedException e) {
                throw new AbortException(e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "pullAndonCord";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PullStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The Snippet Generator's choice; blank is the default, deployments and promotions. */
        public ListBoxModel doFillStopsItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.PullStep_StopsDeployments(), "");
            items.add(Messages.PullStep_StopsAllBuilds(), "all-builds");
            return items;
        }
    }
}
