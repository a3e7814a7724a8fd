package io.jenkins.plugins.releaseline.rollout.bluegreen;

import io.jenkins.plugins.releaseline.rollout.router.RouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPhase;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.HealthCheck;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs {@code blueGreenDeploy}: the engine's state machine in a background thread, the body (deploy; for pipeline
 * routers also the routing code) in the CPS VM. The rollout id is kept, so that after a restart the engine's
 * {@code resume()} finds where things stand and the step ends the way the engine reports.
 */
final class BlueGreenDeployExecution extends GeneralNonBlockingStepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(BlueGreenDeployExecution.class.getName());
    static final String PHASE = "RELEASE_LINE_PHASE";

    private final BlueGreenDeployStep step;
    private final String id = UUID.randomUUID().toString();
    private long rolloutId = -1;
    /** starting, deploying (body), checking (background), routing (body of a pipeline router), done. */
    private volatile String stage = "starting";

    private transient volatile CompletableFuture<Object> routeResult;

    BlueGreenDeployExecution(BlueGreenDeployStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() {
        run(this::begin);
        return false;
    }

    private TaskListener listener() throws Exception {
        return getContext().get(TaskListener.class);
    }

    private RouterDefinition definition() throws AbortException {
        RouterDefinition def = TrafficRouters.get().router(step.getRouter());
        if (def == null) {
            throw new AbortException(Messages.BlueGreenDeployStep_UnknownRouter(step.getRouter()));
        }
        return def;
    }

    private TrafficRouter router(boolean mayRunBody) throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        return definition().toRouter(run, mayRunBody ? this::route : null);
    }

    private void begin() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        RouterDefinition def = definition();
        TrafficRouter router = router(false);
        BlueGreenRollout r;
        try {
            r = RolloutEngine.controller()
                    .start(step.effectiveEnvironment(), router, step.getVersion(), RolloutEngine.principal(run));
        } catch (IllegalArgumentException | IllegalStateException | RouterException e) {
            throw new AbortException(e.getMessage());
        }
        rolloutId = r.id();
        stage = "deploying";
        getContext().saveState();
        BlueGreenAction.attach(run, r.id());
        listener()
                .getLogger()
                .println(Messages.BlueGreenDeployStep_Deploying(
                        r.id(), r.targetColour(), r.liveColour(), router.name()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PHASE, "deploy");
        env.put(CommandRouter.TARGET_COLOR, r.targetColour());
        env.put("RELEASE_LINE_LIVE_COLOR", r.liveColour());
        env.put("RELEASE_LINE_ROLLOUT_ID", Long.toString(r.id()));
        String url = def.targetUrlMap().get(r.targetColour());
        if (url != null) {
            env.put("RELEASE_LINE_TARGET_URL", url);
        }
        invokeBody(env, new DeployCallback(id));
    }

    private void invokeBody(Map<String, String> env, BodyExecutionCallback callback) throws Exception {
        getContext()
                .newBodyInvoker()
                .withContext(EnvironmentExpander.merge(
                        getContext().get(EnvironmentExpander.class), EnvironmentExpander.constant(env)))
                .withCallback(callback)
                .start();
    }

    /** After the deploy body: check the idle colour, switch, verify (background thread). */
    void afterDeploy(Throwable failure) {
        run(() -> {
            Run<?, ?> run = getContext().get(Run.class);
            String who = RolloutEngine.principal(run);
            BlueGreenController controller = RolloutEngine.controller();
            if (failure != null) {
                BlueGreenRollout r =
                        controller.deployFailed(rolloutId, router(false), who, String.valueOf(failure.getMessage()));
                listener().getLogger().println(Messages.BlueGreenDeployStep_Ended(r.phase(), r.detail()));
                stage = "done";
                getContext().onFailure(failure);
                return;
            }
            stage = "checking";
            getContext().saveState();
            BlueGreenRollout r = controller.get(rolloutId).orElseThrow();
            String targetUrl = definition().targetUrlMap().get(r.targetColour());
            HealthCheck check;
            BlueGreenController.SwitchOptions options;
            try {
                check = step.getHealthCheck()
                        .toHealthCheck(targetUrl == null ? null : targetUrl + "/", r.targetColour());
                options = step.switchOptions(r.targetColour());
            } catch (IllegalArgumentException e) {
                r = controller.deployFailed(rolloutId, router(false), who, e.getMessage());
                throw new AbortException(e.getMessage());
            }
            listener().getLogger().println(Messages.BlueGreenDeployStep_Checking(check.url()));
            r = controller.verifyIdle(rolloutId, router(false), check, who);
            if (r.phase() == BlueGreenPhase.IDLE_HEALTHY) {
                listener()
                        .getLogger()
                        .println(Messages.BlueGreenDeployStep_Switching(r.targetColour(), options.steps()));
                r = controller.switchTraffic(rolloutId, router(true), options, who);
            }
            finish(r);
        });
    }

    private void finish(BlueGreenRollout r) throws Exception {
        stage = "done";
        for (BlueGreenRollout.Step s : r.timeline()) {
            LOGGER.fine(() -> "rollout #" + r.id() + " " + s.phase() + " " + s.detail());
        }
        listener().getLogger().println(Messages.BlueGreenDeployStep_Ended(r.phase(), r.detail()));
        if (r.phase() == BlueGreenPhase.WARM || r.phase() == BlueGreenPhase.COMPLETED) {
            getContext().onSuccess(r.targetColour());
        } else {
            getContext()
                    .onFailure(new AbortException(
                            Messages.BlueGreenDeployStep_NotSwitched(r.id(), r.phase(), r.detail())));
        }
    }

    /** The pipeline router's routing code: the body again, with the weights, on the CPS VM; waited for here. */
    private CommandRouter.Report route(TrafficSplit target, Map<String, String> routeEnv) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        routeResult = f;
        stage = "routing";
        try {
            getContext().saveState();
            Map<String, String> env = new HashMap<>(routeEnv);
            env.put(PHASE, "route");
            listener().getLogger().println(Messages.BlueGreenDeployStep_Routing(CommandRouter.format(target)));
            invokeBody(env, new RouteCallback(id));
            Object result = f.get(1, TimeUnit.HOURS);
            if (result == null) {
                throw new RouterException(Messages.BlueGreenDeployStep_NoReport(), false);
            }
            TrafficSplit reported = result instanceof Map<?, ?> m ? fromMap(m) : CommandRouter.parse(result.toString());
            return new CommandRouter.Report(reported, result.toString());
        } catch (ExecutionException e) {
            throw new RouterException("the routing code failed: " + e.getCause().getMessage(), false, e.getCause());
        } catch (TimeoutException e) {
            throw new RouterException("the routing code did not finish within an hour", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while the routing code ran", false, e);
        } catch (RouterException | IllegalArgumentException e) {
            throw e instanceof RouterException re ? re : new RouterException(e.getMessage(), false, e);
        } catch (Exception e) {
            throw new RouterException("could not run the routing code: " + e.getMessage(), false, e);
        } finally {
            stage = "checking";
        }
    }

    private static TrafficSplit fromMap(Map<?, ?> m) {
        Map<String, Integer> split = new LinkedHashMap<>();
        m.forEach((k, v) -> split.put(String.valueOf(k), Integer.parseInt(String.valueOf(v))));
        return new TrafficSplit(split);
    }

    void routed(Object result, Throwable failure) {
        CompletableFuture<Object> f = routeResult;
        if (f == null) {
            // restarted while the routing code ran: nothing waits for it; ask the engine where things stand
            run(this::resumeAfterRestart);
            return;
        }
        if (failure != null) {
            f.completeExceptionally(failure);
        } else {
            f.complete(result);
        }
    }

    @Override
    public void onResume() {
        if ("deploying".equals(stage) || "routing".equals(stage)) {
            return; // the body carries on; its callback continues from there
        }
        if (!"done".equals(stage)) {
            run(this::resumeAfterRestart);
        }
    }

    private void resumeAfterRestart() throws Exception {
        if (rolloutId < 0) {
            throw new AbortException(Messages.BlueGreenDeployStep_RestartedBeforeStart());
        }
        Optional<BlueGreenRollout> r = RolloutEngine.controller()
                .resume(
                        step.effectiveEnvironment(),
                        router(false),
                        RolloutEngine.principal(getContext().get(Run.class)));
        finish(
                r.isPresent()
                        ? r.get()
                        : RolloutEngine.controller().get(rolloutId).orElseThrow());
    }

    @Override
    public String getStatus() {
        return "blue-green rollout #" + rolloutId + ": " + stage;
    }

    private static void withExecution(String id, java.util.function.Consumer<BlueGreenDeployExecution> action) {
        StepExecution.applyAll(BlueGreenDeployExecution.class, e -> {
            if (e.id.equals(id)) {
                action.accept(e);
            }
            return null;
        });
    }

    private static final class DeployCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String id;

        DeployCallback(String id) {
            this.id = id;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            withExecution(id, e -> e.afterDeploy(null));
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            withExecution(id, e -> e.afterDeploy(t));
        }
    }

    private static final class RouteCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String id;

        RouteCallback(String id) {
            this.id = id;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            withExecution(id, e -> e.routed(result, null));
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            withExecution(id, e -> e.routed(null, t));
        }
    }
}
