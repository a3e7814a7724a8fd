package io.jenkins.plugins.releaseline.promotion;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Digest;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.promotion.Verdict;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@link PromoteStep} and {@link RollbackStep}. Every database call happens on a {@link Timer} thread, never on
 * the CPS VM thread. A wait persists its deadline and the promotion's id, not a timer, and is re-armed in
 * {@link #onResume()} (the pattern of workflow-basic-steps' {@code SleepStep}).
 */
public final class PromoteStepExecution extends AbstractStepExecutionImpl {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(PromoteStepExecution.class.getName());
    /** How often a waiting step asks its gates again; approvals made on this controller also wake it at once. */
    static long pollMillis = Long.getLong(PromoteStepExecution.class.getName() + ".pollMillis", 15_000L);

    /** What was asked for; plain values, so that the execution serializes with the program. */
    static final class Spec implements Serializable {
        private static final long serialVersionUID = 1L;
        private final boolean rollback;
        private final String environment;
        private final String artifact;
        private final String version;
        private final String file;
        private final String digest;
        private final String branch;
        private final String reason;
        private final boolean waitForGates;
        private final int timeoutMinutes;

        private Spec(
                boolean rollback,
                String environment,
                String artifact,
                String version,
                String file,
                String digest,
                String branch,
                String reason,
                boolean waitForGates,
                int timeoutMinutes) {
            this.rollback = rollback;
            this.environment = environment;
            this.artifact = artifact;
            this.version = version;
            this.file = file;
            this.digest = digest;
            this.branch = branch;
            this.reason = reason;
            this.waitForGates = waitForGates;
            this.timeoutMinutes = timeoutMinutes;
        }

        static Spec of(PromoteStep s) {
            return new Spec(
                    false,
                    s.getTo(),
                    s.getArtifact(),
                    s.getVersion(),
                    s.getFile(),
                    s.getDigest(),
                    s.getBranch(),
                    null,
                    s.isWait(),
                    s.getTimeout());
        }

        static Spec rollback(RollbackStep s) {
            return new Spec(
                    true, s.getTo(), s.getArtifact(), null, null, null, null, s.getReason(), true, s.getTimeout());
        }

        boolean rollback() {
            return rollback;
        }

        String environment() {
            return environment;
        }

        String artifact() {
            return artifact;
        }

        String version() {
            return version;
        }

        String file() {
            return file;
        }

        String digest() {
            return digest;
        }

        String branch() {
            return branch;
        }

        String reason() {
            return reason;
        }

        boolean waitForGates() {
            return waitForGates;
        }

        int timeoutMinutes() {
            return timeoutMinutes;
        }
    }

    private final Spec spec;
    private long promotionId;
    private long deadlineMillis;
    private String requestedBy;
    private String jobPath;
    private String buildLink;
    private String branch;
    private boolean bodyStarted;
    /** The step's outcome was handed to the context; later rounds (a late nudge) do nothing. */
    private boolean completed;

    private String lastReport;
    private transient FilePath workspace;
    private transient volatile ScheduledFuture<?> task;

    PromoteStepExecution(StepContext context, Spec spec) {
        super(context);
        this.spec = spec;
    }

    @Override
    public boolean start() throws Exception {
        if (spec.environment() == null || spec.artifact() == null) {
            throw new AbortException(Messages.PromoteStep_Missing());
        }
        Run<?, ?> run = getContext().get(Run.class);
        requestedBy = Starter.of(run);
        jobPath = run.getParent().getFullName();
        buildLink = Jenkins.get().getRootUrl() == null
                ? run.getUrl()
                : Jenkins.get().getRootUrl() + run.getUrl();
        EnvVars env = getContext().get(EnvVars.class);
        branch = spec.branch() != null ? spec.branch() : env == null ? null : env.get("BRANCH_NAME");
        if (!spec.rollback() && !run.getParent().hasPermission(PromotionPermissions.PROMOTE)) {
            throw new AbortException(Messages.PromoteStep_NoPermission(
                    Jenkins.getAuthentication2().getName(), jobPath));
        }
        if (spec.file() != null) {
            workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(Messages.PromoteStep_NeedsWorkspace());
            }
        } else if (!spec.rollback() && spec.digest() == null) {
            throw new AbortException(Messages.PromoteStep_NeedsDigest());
        }
        deadlineMillis = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(Math.max(0, spec.timeoutMinutes()));
        schedule(0);
        return false;
    }

    @Override
    public void onResume() {
        if (!bodyStarted) {
            schedule(0);
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        synchronized (this) {
            completed = true;
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            if (promotionId != 0 && !bodyStarted) {
                // one short transaction, so that the ledger says cancelled before the build ends
                try {
                    PromotionService.get()
                            .engine()
                            .cancel(promotionId, requestedBy, Messages.PromoteStep_Stopped(String.valueOf(cause)));
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Could not record promotion " + promotionId + " as cancelled", e);
                }
            }
        }
        super.stop(cause);
    }

    @Override
    public String getStatus() {
        if (promotionId == 0) {
            return "requesting the promotion";
        }
        if (bodyStarted) {
            return "deploying promotion " + promotionId;
        }
        long left = deadlineMillis - System.currentTimeMillis();
        return "promotion " + promotionId + " waits for its gates, " + hudson.Util.getTimeSpanString(Math.max(0, left))
                + " left";
    }

    /** Looks at the gates again soon (an approval came in). */
    void pollSoon() {
        if (promotionId != 0 && !bodyStarted && task != null) {
            schedule(100);
        }
    }

    private synchronized void schedule(long delayMillis) {
        ScheduledFuture<?> previous = task;
        if (previous != null) {
            previous.cancel(false);
        }
        task = Timer.get().schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * One round: request (first time), then ask every gate; start, wait again, or fail. Synchronized, so that a
     * nudge arriving during a round never starts the body twice.
     */
    private synchronized void step() {
        StepContext context = getContext();
        if (bodyStarted || completed) {
            return;
        }
        try {
            TaskListener listener = context.get(TaskListener.class);
            PromotionEngine engine = PromotionService.get().engine();
            if (promotionId == 0) {
                Promotion p = spec.rollback()
                        ? engine.rollback(
                                spec.environment(),
                                spec.artifact(),
                                new Actor(requestedBy, Starter.groups(requestedBy)),
                                spec.reason(),
                                jobPath,
                                buildLink)
                        : engine.request(new PromotionRequest(
                                spec.environment(),
                                new Artifact(spec.artifact(), spec.version(), digest()),
                                branch,
                                jobPath,
                                buildLink,
                                requestedBy,
                                Starter.groups(requestedBy)));
                promotionId = p.id();
                PromotionRunAction.record(context.get(Run.class), p.id());
                context.saveState();
                listener.getLogger()
                        .println(Messages.PromoteStep_Requested(
                                String.valueOf(p.id()), p.artifact().toString(), p.environment()));
            }
            Attempt attempt = engine.begin(promotionId, spec.waitForGates(), requestedBy);
            report(listener, attempt);
            switch (attempt.outcome()) {
                case STARTED -> started(engine, attempt.promotion(), listener);
                case REFUSED -> fail(new AbortException(refusal(attempt)));
                case WAITING -> {
                    if (System.currentTimeMillis() >= deadlineMillis) {
                        String waitingFor = attempt.evaluation().waiting().stream()
                                .map(GateVerdict::gate)
                                .collect(Collectors.joining(", "));
                        String why = Messages.PromoteStep_TimedOut(spec.timeoutMinutes(), waitingFor);
                        engine.cancel(promotionId, requestedBy, why);
                        fail(new AbortException(why));
                    } else {
                        schedule(Math.min(pollMillis, Math.max(0, deadlineMillis - System.currentTimeMillis())));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            fail(new AbortException(e.getMessage()));
        } catch (Exception e) {
            fail(e);
        }
    }

    private void fail(Throwable t) {
        completed = true;
        getContext().onFailure(t);
    }

    private Digest digest() throws Exception {
        if (spec.digest() != null) {
            return Digest.parse(spec.digest());
        }
        FilePath ws = workspace != null ? workspace : getContext().get(FilePath.class);
        if (ws == null) {
            throw new AbortException(Messages.PromoteStep_NeedsWorkspace());
        }
        FilePath f = ws.child(spec.file());
        if (!f.exists()) {
            throw new AbortException(Messages.PromoteStep_NoFile(spec.file(), ws.getRemote()));
        }
        try (InputStream in = f.read()) {
            return Digest.of(in);
        }
    }

    private void started(PromotionEngine engine, Promotion p, TaskListener listener) {
        StepContext context = getContext();
        if (!context.hasBody()) {
            engine.finish(p.id(), true, requestedBy, Messages.PromoteStep_NoBody());
            listener.getLogger()
                    .println(Messages.PromoteStep_Promoted(p.artifact().toString(), p.environment()));
            completed = true;
            context.onSuccess(null);
            return;
        }
        listener.getLogger().println(Messages.PromoteStep_Deploying(p.artifact().toString(), p.environment()));
        try {
            Map<String, String> vars = Map.of(
                    "RELEASE_LINE_ENVIRONMENT", p.environment(),
                    "RELEASE_LINE_ARTIFACT", p.artifact().name(),
                    "RELEASE_LINE_VERSION", p.artifact().version(),
                    "RELEASE_LINE_DIGEST", p.artifact().digest().value());
            bodyStarted = true;
            context.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(
                            context.get(EnvironmentExpander.class), EnvironmentExpander.constant(vars)))
                    .withCallback(new DeployCallback(p.id(), requestedBy))
                    .start();
        } catch (Exception e) {
            engine.finish(p.id(), false, requestedBy, String.valueOf(e));
            fail(e);
        }
    }

    private void report(TaskListener listener, Attempt attempt) {
        String text = attempt.evaluation().verdicts().stream()
                .map(v -> "  " + v.verdict() + "  " + v.gate() + ": " + v.reason())
                .collect(Collectors.joining("\n"));
        if (!text.equals(lastReport)) {
            listener.getLogger()
                    .println(Messages.PromoteStep_Gates(
                                    String.valueOf(promotionId),
                                    attempt.promotion().environment()) + "\n" + text);
            lastReport = text;
        }
    }

    private static String refusal(Attempt attempt) {
        Promotion p = attempt.promotion();
        String gates = attempt.evaluation().verdicts().stream()
                .filter(v -> v.verdict() != Verdict.PASS)
                .map(v -> "  - " + v.gate() + ": " + v.reason())
                .collect(Collectors.joining("\n"));
        return Messages.PromoteStep_Refused(String.valueOf(p.id()), p.artifact().toString(), p.environment()) + "\n"
                + gates;
    }

    /** Records the body's outcome (off the CPS VM thread), then completes the step with it. */
    static final class DeployCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final long promotionId;
        private final String principal;

        DeployCallback(long promotionId, String principal) {
            this.promotionId = promotionId;
            this.principal = principal;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            Timer.get().submit(() -> {
                try {
                    Promotion p = PromotionService.get().engine().finish(promotionId, true, principal, null);
                    context.get(TaskListener.class)
                            .getLogger()
                            .println(Messages.PromoteStep_Deployed(p.artifact().toString(), p.environment()));
                    context.onSuccess(result);
                } catch (Exception e) {
                    context.onFailure(e);
                }
            });
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            Timer.get().submit(() -> {
                try {
                    PromotionService.get().engine().finish(promotionId, false, principal, String.valueOf(t));
                } catch (RuntimeException e) {
                    t.addSuppressed(e);
                }
                context.onFailure(t);
            });
        }
    }
}
