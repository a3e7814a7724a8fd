package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenDriver;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPlan;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPhase;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code release-line bluegreen}: switch a router from the live colour to the idle one, or back. */
@Command(name = "bluegreen", mixinStandardHelpOptions = true,
        description = {"Blue-green switch on a router: the idle colour (the new version, deployed already) is health-checked, "
                + "traffic moves to it in the given steps and is read back; any failure switches back. With --rollback: "
                + "back to the old colour while it is kept warm.",
                "Exit 0 when the new colour serves (or the rollback is done), 2 when the switch was refused or rolled back, 1 on errors."})
final class BlueGreenCommand extends StoreCommand {

    @Mixin RouterOptions routerOptions;

    @Option(names = "--environment", required = true, description = "The environment the router serves (one rollout at a time per environment).")
    String environment;

    @Option(names = "--release", paramLabel = "VERSION", description = "The version deployed to the idle colour (for the record).")
    String release;

    @Option(names = "--health", paramLabel = "COLOUR=URL", description = "Health URL of each colour, e.g. --health blue=http://10.0.0.1:8080/health; the idle one is checked.")
    Map<String, String> health = Map.of();

    @Option(names = "--health-deadline", defaultValue = "60s",
            description = "How long the idle colour may take to pass 3 checks in a row (default: ${DEFAULT-VALUE}).")
    String healthDeadline;

    @Option(names = "--steps", split = ",", defaultValue = "100", description = "The new colour's percentages, ending at 100 (default: ${DEFAULT-VALUE}).")
    List<Integer> steps;

    @Option(names = "--step-pause", defaultValue = "0s", description = "Pause between steps (default: ${DEFAULT-VALUE}).")
    String stepPause;

    @Option(names = "--keep-warm", defaultValue = "0s", description = "How long the old colour stays ready for a rollback (default: ${DEFAULT-VALUE}).")
    String keepWarm;

    @Option(names = "--rollback", description = "Switch back to the old colour instead.")
    boolean rollback;

    @Option(names = "--reason", description = "Why (required with --rollback).")
    String reason;

    @Override
    int run(Engines e) throws InterruptedException {
        TrafficRouter router = routerOptions.router(List.of("blue", "green"));
        BlueGreenController controller = e.blueGreen();
        BlueGreenRollout r;
        if (rollback) {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("--reason: required with --rollback");
            }
            r = controller.rollback(environment, router, principal(), reason);
        } else {
            for (String colour : router.backends()) {
                if (!health.containsKey(colour)) {
                    throw new IllegalArgumentException("--health: give the health URL of every colour (" + colour + "=URL is missing)");
                }
            }
            Duration deadline = Durations.parse("--health-deadline", healthDeadline);
            BlueGreenPlan plan = new BlueGreenPlan(environment, release, principal(), false, health,
                    new BlueGreenPlan.Check(null, 200, null, 3, 500, 5000, deadline.toMillis()), null, steps,
                    Durations.parse("--step-pause", stepPause).toMillis(), Durations.parse("--keep-warm", keepWarm).toMillis());
            BlueGreenDriver driver = BlueGreenDriver.create(e.store(), e.audit(), e.clock(), "cli-" + UUID.randomUUID(), router, plan);
            Next first = driver.advance(e.clock().instant());
            if (first instanceof Next.Failed failed) {
                throw new IllegalStateException(failed.why());
            }
            r = driver.rollout().orElseThrow();
            say("rollout " + r.id() + ": " + r.liveColour() + " is live, switching to " + r.targetColour());
            DriveLoop.systemClock(Duration.ofSeconds(5), null).run(driver, body -> {
                throw new IllegalStateException("the command line runs no " + body.purpose() + " code");
            });
            r = driver.rollout().orElseThrow();
        }
        if (json()) {
            json(r);
        } else {
            for (BlueGreenRollout.Step s : r.timeline()) {
                say(String.format("%s  %-16s %s", s.at(), s.phase(), s.detail() == null ? "" : s.detail()));
            }
            say(r.phase() + ": " + r.servingColour() + " serves" + (r.warmUntil() == null ? "" : ", old colour warm until " + r.warmUntil()));
        }
        boolean done = rollback ? r.phase() == BlueGreenPhase.ROLLED_BACK
                : r.phase() == BlueGreenPhase.WARM || r.phase() == BlueGreenPhase.COMPLETED;
        if (!done) {
            throw new RefusedException("blue-green rollout " + r.id() + " ended " + r.phase() + ": " + r.detail());
        }
        return ExitCode.OK;
    }

    private void say(String line) {
        if (!json()) {
            out().println(line);
        }
    }
}
