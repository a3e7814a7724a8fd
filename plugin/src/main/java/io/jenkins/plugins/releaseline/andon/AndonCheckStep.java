package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code andonCheck environment: 'prod'}: goes on if no freeze holds this deployment back; otherwise fails
 * with the freeze's reason, or with {@code wait: true} waits until the freezes lift (optionally at most
 * {@code timeoutMinutes}). The wait survives a controller restart: the deadline is stored with the step,
 * and {@code onResume} asks the board again and re-arms the timer.
 */
public final class AndonCheckStep extends Step {

    private String environment;
    private String kind = "deployment";
    private boolean wait;
    private int timeoutMinutes;

    @DataBoundConstructor
    public AndonCheckStep() {}

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

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    /** 0 (the default) waits as long as the freeze lasts. */
    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        if (timeoutMinutes < 0) {
            throw new IllegalArgumentException("timeoutMinutes: must be 0 (no limit) or more");
        }
        this.timeoutMinutes = timeoutMinutes;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    public static final class Execution extends AbstractStepExecutionImpl {

        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());
        /** Fallback re-check while waiting, in case a notification was missed. */
        private static final long RECHECK_SECONDS = 15;

        private static final Set<Execution> WAITING = ConcurrentHashMap.newKeySet();

        private final String jobPath;
        private final String environment;
        private final String build;
        private final String kind;
        private final boolean wait;
        private final int timeoutMinutes;
        /** Epoch millis after which the wait fails; 0 for none. Persisted with the program. */
        private long deadline;

        private String lastMessage;
        private transient volatile ScheduledFuture<?> poll;
        private transient volatile boolean done;

        Execution(StepContext context, AndonCheckStep step) throws Exception {
            super(context);
            WorkScope w = AndonWork.of(context.get(Run.class), step.environment);
            this.jobPath = w.jobPath();
            this.environment = w.environment();
            this.build = w.build();
            this.kind = step.kind;
            this.wait = step.wait;
            this.timeoutMinutes = step.timeoutMinutes;
        }

        @Override
        public boolean start() throws Exception {
            // On the CPS VM thread: asking the board may open it from the store, and a blocked build is counted
            // in the store; both happen on Timer.
            deadline = !wait || timeoutMinutes == 0
                    ? 0
                    : System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeoutMinutes);
            Timer.get().submit(this::firstCheck);
            return false;
        }

        /** On Timer: the first answer; goes on, fails, or starts waiting. */
        private synchronized void firstCheck() {
            if (done) {
                return;
            }
            Decision d;
            try {
                d = decide();
            } catch (RuntimeException e) {
                // no board (the store could not be read since start-up): a deployment is not let through blind
                done = true;
                getContext().onFailure(new AbortException(e.getMessage()));
                return;
            }
            if (d.allowed()) {
                done = true;
                getContext().onSuccess(null);
            } else if (!wait) {
                done = true;
                getContext().onFailure(new AbortException(d.message()));
            } else {
                lastMessage = d.message();
                listener().getLogger().println(Messages.CheckStep_Waiting(d.message()));
                arm();
                getContext().saveState();
            }
        }

        private Decision decide() {
            AndonService holder = AndonService.get();
            Decision d = holder.board().check(new WorkScope(jobPath, environment, build), AndonWork.kind(kind));
            if (d.blocked()) {
                holder.board().noteBlocked(d, build);
            }
            return d;
        }

        private void arm() {
            done = false;
            WAITING.add(this);
            poll = Timer.get()
                    .scheduleWithFixedDelay(this::recheck, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
        }

        /** Every waiting step asks again; the board calls this whenever its snapshot changes. */
        static void recheckAll() {
            for (Execution e : WAITING) {
                Timer.get().submit(e::recheck);
            }
        }

        private synchronized void recheck() {
            if (done) {
                return;
            }
            try {
                Decision d = decide();
                if (d.allowed()) {
                    finish();
                    listener().getLogger().println(Messages.CheckStep_Lifted());
                    getContext().onSuccess(null);
                } else if (deadline != 0 && System.currentTimeMillis() >= deadline) {
                    finish();
                    getContext()
                            .onFailure(new AbortException(Messages.CheckStep_TimedOut(timeoutMinutes, d.message())));
                } else {
                    lastMessage = d.message();
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not ask the Andon board again for " + build, e);
            }
        }

        private void finish() {
            done = true;
            WAITING.remove(this);
            ScheduledFuture<?> p = poll;
            if (p != null) {
                p.cancel(false);
            }
        }

        private TaskListener listener() {
            try {
                return getContext().get(TaskListener.class);
            } catch (Exception e) {
                return TaskListener.NULL;
            }
        }

        @Override
        public void onResume() {
            if (!wait) {
                Timer.get().submit(this::firstCheck);
                return;
            }
            // after a restart: the deadline was stored; ask at once, then keep waiting as before
            arm();
            Timer.get().submit(this::recheck);
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            finish();
            super.stop(cause);
        }

        @Override
        public String getStatus() {
            return Messages.CheckStep_Status(lastMessage);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "andonCheck";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CheckStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
