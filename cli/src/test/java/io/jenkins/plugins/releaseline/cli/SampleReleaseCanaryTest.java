package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.HttpProbeSource;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canaries of the hpi:run sample job (plugin/src/hpi-run/Jenkinsfile) without Jenkins: the sample application
 * as the job runs it, deployed to by the same files, and the engine's canary with the job's arguments and a
 * {@link CommandRouter} whose command does what the job's block does (write the weight), as the plugin runs the
 * block. 2.0 (30% errors) must be rolled back at its first analysis with the weight back at 0; 3.0 must reach 100%.
 */
class SampleReleaseCanaryTest {

    /** The job's canaryDeploy arguments, as the Jenkinsfile writes them (only the pauses are shorter here). */
    static final String PROBES_IN_JENKINSFILE = "probes: [stable: \"${url}/stable\", canary: \"${url}/canary\", count: 100]";
    static final String ANALYSIS_IN_JENKINSFILE = "analysis: [[name: 'error-rate', source: 'probes', query: 'error-rate /', threshold: 0.01]]";

    @TempDir Path dir;
    private SampleAppRun app;
    private String url;
    private Store store;

    @BeforeEach
    void start() throws Exception {
        Path slots = dir.resolve("sample-app");
        SampleAppRun.write(slots, "stable", "version=1.0\n");
        app = SampleAppRun.start(slots);
        assertThat(app.exit()).as("the sample application writes its url").isNotDone();
        url = app.url;
        store = Store.open(StoreSettings.h2File(dir.resolve("store"), "sample"));
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        assertThat(app.stop()).isZero();
    }

    @Test
    void theJobsArgumentsAreTheOnesTestedHere() throws Exception {
        String jenkinsfile = Files.readString(Path.of("..", "plugin", "src", "hpi-run", "Jenkinsfile"));
        assertThat(jenkinsfile).contains(PROBES_IN_JENKINSFILE, ANALYSIS_IN_JENKINSFILE,
                "writeFile file: \"${app}/canary-weight\", text: env.RELEASE_LINE_CANARY_WEIGHT",
                "writeFile file: \"${app}/canary\", text: readFile(file)",
                "text: \"version=${version}\\nerrors=${errorsPercent}%\\n\"", "'2.0', 30", "'3.0', 0");
    }

    @Test
    void twoPointOhIsRolledBackAtItsFirstAnalysisAndThreePointOhReachesAllTheTraffic() throws Exception {
        List<String> weights = Collections.synchronizedList(new ArrayList<>());

        app.write("canary", "version=2.0\nerrors=30%\n");
        CanaryRollout bad = canary("sample-app-2.0", weights);
        assertThat(bad.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(bad.stepIndex()).as("at its first step").isZero();
        assertThat(bad.reason()).contains("error-rate FAIL");
        assertThat(weights).containsExactly("10", "0");
        assertThat(Files.readString(app.dir.resolve("canary-weight"))).isEqualTo("0");
        app.awaitOut("canary weight 0%"); // the application took the rollback: its front door sends the canary nothing

        weights.clear();
        app.write("canary", "version=3.0\nerrors=0%\n");
        CanaryRollout good = canary("sample-app-3.0", weights);
        assertThat(good.state()).as(good.reason()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(weights).containsExactly("10", "50", "100");
        app.awaitOut("canary weight 100%");
        assertThat(app.out()).contains("canary slot now runs sample-app 2.0 (answers 30% of requests with 500)",
                "canary slot now runs sample-app 3.0");
    }

    private CanaryRollout canary(String id, List<String> weights) throws InterruptedException {
        Map<String, Object> arguments = Map.of(
                "plan", "10%/2s, 50%/2s, 100%",
                "probes", Map.of("stable", url + "/stable", "canary", url + "/canary", "count", 100),
                "analysis", List.of(Map.of("name", "error-rate", "source", "probes", "query", "error-rate /", "threshold", 0.01)));
        CanaryArguments args = CanaryArguments.parse(arguments);
        AuditTrail audit = new AuditTrail(store, Clock.systemUTC());
        CanaryController controller = new CanaryController(store, audit, Clock.systemUTC());
        // what the job's block does at every step
        // as CanaryDeployExecution makes it for a canaryDeploy without a router
        CommandRouter router = CommandRouter.forCanary("block-" + id, args.stable(), args.canary(), (target, env) -> {
            String weight = env.get(CommandRouter.CANARY_WEIGHT);
            weights.add(weight);
            try {
                app.write("canary-weight", weight);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandRouter.Report(target, "weight " + weight);
        }, store, audit, Clock.systemUTC(), "admin");
        CanaryAnalysis analysis = new CanaryAnalysis(args.metrics(),
                List.of(new HttpProbeSource(HttpProbeSource.ID, args.probeUrls(), args.probeCount(), 4, Duration.ofSeconds(5))),
                CanaryJudge.defaults());
        controller.start("admin", args.spec(id, "block-" + id));
        return controller.run(id, router, analysis, Duration.ofMillis(200));
    }
}
