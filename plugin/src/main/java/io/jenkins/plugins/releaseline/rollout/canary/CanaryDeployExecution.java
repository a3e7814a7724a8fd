package io.jenkins.plugins.releaseline.rollout.canary;

import io.jenkins.plugins.releaseline.rollout.router.CanaryRouterLookup;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Drives one canary rollout from a pipeline. Nothing waits in memory: every step of the state machine, its
 * deadlines included, is in the Release Line store, and this execution only calls the engine's
 * {@code advance} on the Jenkins timer, at the time the engine says. After a restart, {@link #onResume()}
 * reconciles the stored state with the router ({@code resume}) and re-arms the timer.
 */
public final class CanaryDeployExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryDeployExecution.class.getName());
    private static final Duration BLOCK_ROUTER_TIMEOUT = Duration.ofMinutes(30);

    /** Running executions by rollout id, so that the build page's buttons can wake them. */
    private static final Map<String, CanaryDeployExecution> LIVE = new ConcurrentHashMap<>();
    /** Router blocks running now, by token: their callbacks complete these. Lost on restart, by design. */
    private static final Map<String, CompletableFuture<Void>> BLOCKS = new ConcurrentHashMap<>();

    private final LinkedHashMap<String, Object> arguments;
    private String rolloutId;
    private String principal;
    private boolean started;
    private int lastLoggedSeq;

    private transient volatile ScheduledFuture<?> task;
    private transient volatile boolean finished;
    private transient CanaryArguments parsed;
    private transient TrafficRouter router;
    private transient CanaryAnalysis analysis;

    CanaryDeployExecution(StepContext context, LinkedHashMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    public boolean start() throws Exception {
        CanaryArguments args = arguments();
        Run<?, ?> run = getContext().get(Run.class);
        principal = ActingUser.id();
        int n = run.getActions(CanaryAction.class).size() + 1;
        rolloutId = run.getParent().getFullName() + "#" + run.getNumber() + "-" + n;
        run.addAction(new CanaryAction(rolloutId, n));
        LIVE.put(rolloutId, this);
        if (args.router() != null) {
            CanaryRouterLookup.resolve(args.router(), run);
            listener()
                    .getLogger()
                    .println("[canary] deploying the canary version (the block), then "
                            + args.plan().stepsText() + " through router " + args.router());
            getContext()
                    .newBodyInvoker()
                    .withCallback(new DeployedCallback(rolloutId))
                    .start();
        } else {
            listener()
                    .getLogger()
                    .println("[canary] " + args.plan().stepsText() + "; the block moves the traffic at each step");
            schedule(0);
        }
        return false;
    }

    /** The block of the named-router form finished deploying the canary version: the rollout starts. */
    private static final class DeployedCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String rolloutId;

        DeployedCallback(String rolloutId) {
            this.rolloutId = rolloutId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            CanaryDeployExecution e = LIVE.get(rolloutId);
            if (e == null) {
                context.onFailure(
                        new AbortException("canary " + rolloutId + ": lost track of the rollout after a restart"));
                return;
            }
            e.schedule(0);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            context.onFailure(t);
        }
    }

    /** A router block finished: the split it was asked for is in effect (or it failed). */
    private static final class RoutedCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String token;

        RoutedCallback(String token) {
            this.token = token;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            CompletableFuture<Void> f = BLOCKS.remove(token);
            if (f != null) {
                f.complete(null);
            }
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            CompletableFuture<Void> f = BLOCKS.remove(token);
            if (f != null) {
                f.completeExceptionally(t);
            }
        }
    }

    @Override
    public void onResume() {
        LIVE.put(rolloutId, this);
        Timer.get().submit(() -> {
            try {
                CanaryController controller = CanaryService.get().controller();
                if (controller.find(rolloutId).isPresent()) {
                    CanaryRollout r = controller.resume(rolloutId, router());
                    listener()
                            .getLogger()
                            .println("[canary] resumed after a restart: " + r.state() + " at step "
                                    + (r.stepIndex() + 1) + " (" + r.intendedWeight() + "%)");
                    started = true;
                    schedule(0);
                } else if (arguments().router() == null) {
                    schedule(0);
                }
                // else: the deploying block is still running; its callback starts the rollout.
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "canary " + rolloutId + ": could not resume; retrying", e);
                schedule(5_000);
            }
        });
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        finished = true;
        cancelTask();
        LIVE.remove(rolloutId);
        try {
            CanaryController controller = CanaryService.get().controller();
            if (controller.find(rolloutId).isPresent()) {
                TrafficRouter named = arguments().router() == null ? null : router();
                CanaryRollout r =
                        controller.abort(rolloutId, ActingUser.id(), "the build was stopped: " + cause, named);
                listener()
                        .getLogger()
                        .println("[canary] aborted with the build: " + r.state()
                                + (named == null
                                        ? "; the block that moves the traffic cannot run in a stopped build: set the canary to 0% yourself"
                                        : ""));
            }
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "canary " + rolloutId + ": could not abort with the build", e);
        }
        getContext().onFailure(cause);
    }

    @Override
    public String getStatus() {
        return rolloutId == null ? "starting" : "canary " + rolloutId;
    }

    /** Asks for an advance now (a button on the build page changed the rollout). */
    static void wake(String rolloutId) {
        CanaryDeployExecution e = LIVE.get(rolloutId);
        if (e != null) {
            e.schedule(0);
        }
    }

    private synchronized void schedule(long delayMillis) {
        if (finished) {
            return;
        }
        cancelTask();
        task = Timer.get().schedule(this::tick, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelTask() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void tick() {
        if (finished) {
            return;
        }
        try {
            CanaryController controller = CanaryService.get().controller();
            if (!started) {
                if (controller.find(rolloutId).isEmpty()) {
                    CanaryArguments args = arguments();
                    controller.start(principal, args.spec(rolloutId, routerName()));
                }
                started = true;
            }
            CanaryRollout r = controller.advance(rolloutId, router(), analysis());
            log(controller);
            if (r.state().terminal()) {
                finish(r);
                return;
            }
            long delay = 2_000;
            if (r.state() != CanaryState.PAUSED && r.wakeAt() != null) {
                delay = Math.min(
                        5_000,
                        Math.max(
                                100, Duration.between(Instant.now(), r.wakeAt()).toMillis()));
            }
            schedule(delay);
        } catch (AbortException | IllegalArgumentException | IllegalStateException e) {
            fail(e.getMessage());
        } catch (RuntimeException e) {
            // the store or a metric source is unreachable for a moment: the stored state is intact, try again
            LOGGER.log(Level.WARNING, "canary " + rolloutId + ": " + e.getMessage() + "; trying again in 5 s", e);
            schedule(5_000);
        }
    }

    private void finish(CanaryRollout r) {
        finished = true;
        LIVE.remove(rolloutId);
        switch (r.state()) {
            case SUCCEEDED -> {
                listener().getLogger().println("[canary] " + r.spec().canaryBackend() + " takes 100% of the traffic");
                getContext().onSuccess(null);
            }
            case ROLLED_BACK -> getContext().onFailure(new AbortException("canary rolled back: " + r.reason()));
            default -> getContext().onFailure(new AbortException("canary aborted: " + r.reason()));
        }
    }

    private void fail(String message) {
        finished = true;
        LIVE.remove(rolloutId);
        getContext().onFailure(new AbortException(message));
    }

    /** Prints the events not printed yet, every metric value of each analysis included. */
    private void log(CanaryController controller) {
        TaskListener listener = listener();
        List<CanaryEvent> events = controller.events(rolloutId);
        for (CanaryEvent e : events) {
            if (e.seq() <= lastLoggedSeq) {
                continue;
            }
            lastLoggedSeq = e.seq();
            listener.getLogger()
                    .println("[canary] " + e.at() + " " + e.kind() + " (" + e.weight() + "%): " + e.message());
            for (MetricResult m : CanaryController.metricsOf(e)) {
                listener.getLogger()
                        .println(String.format(
                                Locale.ROOT,
                                "[canary]   %s %s: %s (canary n=%d mean=%s; baseline n=%d mean=%s; p=%s)",
                                m.metric(),
                                m.verdict(),
                                m.reason(),
                                m.canaryCount(),
                                m.canaryMean(),
                                m.baselineCount(),
                                m.baselineMean(),
                                m.pValue()));
            }
        }
    }

    private TaskListener listener() {
        try {
            return getContext().get(TaskListener.class);
        } catch (IOException | InterruptedException e) {
            return TaskListener.NULL;
        }
    }

    private synchronized CanaryArguments arguments() throws AbortException {
        if (parsed == null) {
            try {
                parsed = CanaryArguments.parse(arguments);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
        }
        return parsed;
    }

    private String routerName() throws AbortException {
        CanaryArguments args = arguments();
        if (args.router() != null) {
            return args.router();
        }
        String name = "block-" + rolloutId.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.length() > 100 ? name.substring(name.length() - 100).replaceFirst("^[^A-Za-z0-9]+", "b") : name;
    }

    private synchronized TrafficRouter router() throws AbortException {
        if (router == null) {
            CanaryArguments args = arguments();
            Run<?, ?> run = run();
            if (args.router() != null) {
                router = CanaryRouterLookup.resolve(args.router(), run);
            } else {
                var store = ReleaseLineStore.get().store();
                router = CommandRouter.forCanary(
                        routerName(),
                        args.stable(),
                        args.canary(),
                        this::runBlock,
                        store,
                        ReleaseLineStore.get().auditTrail(),
                        Clock.systemUTC(),
                        principal);
            }
        }
        return router;
    }

    private synchronized CanaryAnalysis analysis() throws AbortException {
        if (analysis == null) {
            analysis = CanarySources.analysis(arguments(), run());
        }
        return analysis;
    }

    private Run<?, ?> run() throws AbortException {
        try {
            return getContext().get(Run.class);
        } catch (IOException | InterruptedException e) {
            throw new AbortException("canary " + rolloutId + ": the build is gone: " + e.getMessage());
        }
    }

    /** The block is the router: runs it with the wanted split in its environment and waits for it to finish. */
    private CommandRouter.Report runBlock(TrafficSplit target, Map<String, String> environment) {
        String token = UUID.randomUUID().toString();
        CompletableFuture<Void> done = new CompletableFuture<>();
        BLOCKS.put(token, done);
        try {
            EnvironmentExpander outer = getContext().get(EnvironmentExpander.class);
            getContext()
                    .newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(outer, EnvironmentExpander.constant(environment)))
                    .withCallback(new RoutedCallback(token))
                    .start();
            done.get(BLOCK_ROUTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new CommandRouter.Report(target, "the block finished with " + CommandRouter.format(target));
        } catch (ExecutionException e) {
            throw new RouterException(
                    "the block failed while setting " + CommandRouter.format(target) + ": " + e.getCause(),
                    false,
                    e.getCause());
        } catch (TimeoutException e) {
            throw new RouterException(
                    "the block did not finish within " + BLOCK_ROUTER_TIMEOUT.toMinutes() + " minutes", false, e);
        } catch (IOException e) {
            throw new RouterException("could not run the block: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while the block ran", true, e);
        } finally {
            BLOCKS.remove(token);
        }
    }
}
