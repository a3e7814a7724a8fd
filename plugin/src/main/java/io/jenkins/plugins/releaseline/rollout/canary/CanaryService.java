package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryLog;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.rollout.router.CanaryRouterLookup;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The engine's canary controller for this Jenkins: one per open store, so that the build's own progress and the
 * buttons of its page go through the same controller (which serialises the router calls of a rollout).
 */
@Extension
public class CanaryService {

    private Store store;
    private CanaryController controller;

    @NonNull
    public static CanaryService get() {
        return ExtensionList.lookupSingleton(CanaryService.class);
    }

    @NonNull
    public synchronized CanaryController controller() {
        Store current = ReleaseLineStore.get().store();
        if (current != store) {
            store = current;
            controller = new CanaryController(current, new AuditTrail(current, Clock.systemUTC()), Clock.systemUTC());
        }
        return controller;
    }

    /** The driver of rollout {@code id}, to advance: {@code router} is its named router (null for a block router). */
    @NonNull
    public CanaryDriver driver(String id, TrafficRouter router, Supplier<CanaryAnalysis> analysis) {
        CanaryController c = controller();
        return new CanaryDriver(id, ReleaseLineStore.get().store(), c, Clock.systemUTC(), router, analysis);
    }

    /**
     * Records the canary {@code id} of a build (once; again after a restart changes nothing) and returns its driver:
     * the named router is resolved now, so that an unknown name fails before the block deploys anything.
     */
    @NonNull
    public CanaryDriver open(String id, String principal, CanaryArguments args, Run<?, ?> run) throws AbortException {
        TrafficRouter named = args.router() == null ? null : CanaryRouterLookup.resolve(args.router(), run);
        String routerName = named != null ? args.router() : blockRouterName(id);
        CanaryDriver.create(
                ReleaseLineStore.get().store(),
                Clock.systemUTC(),
                principal,
                args.spec(id, routerName),
                named == null,
                named != null);
        return driver(id, named, () -> {
            try {
                return CanarySources.analysis(args, run);
            } catch (AbortException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    /** The name of the router a block is: one per rollout. */
    static String blockRouterName(String id) {
        String name = "block-" + id.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.length() > 100 ? name.substring(name.length() - 100).replaceFirst("^[^A-Za-z0-9]+", "b") : name;
    }

    /**
     * Prints the rollout's events after {@code afterSeq} (every metric value of each analysis included), after a
     * line saying where it stands when the build has just resumed; returns the last event printed.
     */
    int log(CanaryDriver driver, boolean resumed, int afterSeq, PrintStream out) {
        if (resumed) {
            driver.rollout()
                    .ifPresent(r -> out.println("[canary] resumed after a restart: " + r.state() + " at step "
                            + (r.stepIndex() + 1) + " (" + r.intendedWeight() + "%)"));
        }
        CanaryLog.Lines lines = CanaryLog.since(controller().events(driver.id()), afterSeq);
        lines.lines().forEach(out::println);
        return lines.lastSeq();
    }

    /** The driver of rollout {@code id}, to report a block's end or a stop. */
    @NonNull
    public CanaryDriver driver(String id) {
        return driver(id, null, null);
    }
}
