package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRule;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Lambda deployment as a driver against the loopback Lambda endpoint: the whole plan, a restart after each
 * side effect (a new store and driver on the same H2 file), the endpoint down or hanging in each phase, and stops.
 */
class LambdaDriverTest {

    private static final String FN = "integration-orders";
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
    /** The most calls one advance makes (a rollout's resume read, two alias reads, one more read), each within its budget. */
    private static final int MAX_CALLS_PER_ADVANCE = 5;

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final byte[] zip = LambdaTesting.zip("orders 2.0.0");
    private final String digest = LambdaCodeDigest.of(zip).promoted();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T09:00:00Z"));
    private StoreTarget target;
    private Store store;
    private PromotionEngine promotions;
    private CanaryController canaries;
    private LambdaApiServer lambda;
    private String s3Version;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        target = StoreTarget.h2(dir);
        open();
        promotions.configure(EnvironmentOrder.of(List.of(Environment.first("integration"))), "admin");
        lambda = LambdaApiServer.start();
        lambda.updateDuration(Duration.ofMillis(30));
        lambda.createFunction(FN, LambdaTesting.zip("orders 1.9.0"), "live");
        lambda.createFunction("prod-orders", LambdaTesting.zip("orders 1.9.0"), "live");
        s3Version = lambda.putS3Object("builds", "orders.zip", zip);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** A store and engine as a controller that just started has them. */
    private void open() {
        store = target.open("c1");
        AuditTrail audit = new AuditTrail(store, clock);
        promotions = new PromotionEngine(store, audit, clock, (e, j, p) -> FreezeCheck.Answer.clear());
        canaries = new CanaryController(store, audit, clock);
    }

    /** A crash: everything in memory is gone; the H2 file stays. */
    private void restart() {
        store.close();
        open();
    }

    private LambdaDriver.Services services() {
        return new LambdaDriver.Services(store, promotions, canaries, clock);
    }

    private LambdaDriver.Access access(URI endpoint) {
        LambdaConnection c = LambdaConnection.defaultChain(LambdaApiServer.REGION)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .withEndpoint(endpoint).withTimeout(CALL_TIMEOUT);
        return new LambdaDriver.Access(c, List.of(LambdaInvokeSource.errorsMetric("{}", 5)), 5, null);
    }

    private LambdaDriver create(String environment, String function, String strategy) {
        LambdaRelease.Request r = new LambdaRelease.Request(environment, function, "live",
                new LambdaCode.S3Object("builds", "orders.zip", s3Version), Artifact.of("orders", "2.0.0", digest), strategy,
                "{\"orderId\":\"probe\"}", "main", "orders/main", null, "ci");
        return LambdaDriver.create("lambda-1", services(), access(lambda.endpoint()),
                new LambdaDriver.Request(r, "ci", Duration.ofSeconds(20), Duration.ofHours(1)), log::add);
    }

    private LambdaDriver reload(URI endpoint) {
        return LambdaDriver.load("lambda-1", services(), access(endpoint), log::add);
    }

    /** Advances as a timer would, moving the test clock to each wake-up; returns the terminal answer. */
    private Next drive(LambdaDriver d, List<LambdaDriver.Phase> phases) {
        for (int i = 0; i < 2_000; i++) {
            Next n = d.advance(clock.instant());
            if (phases != null && (phases.isEmpty() || phases.get(phases.size() - 1) != d.phase())) {
                phases.add(d.phase());
            }
            if (n.terminal()) {
                return n;
            }
            if (n instanceof Next.Wait w && w.until().isAfter(clock.instant())) {
                clock.set(w.until());
            }
        }
        throw new AssertionError("no end after 2000 advances");
    }

    private long calls(String method, String pathEnd) {
        return lambda.calls().stream().filter(c -> c.method().equals(method) && c.path().endsWith(pathEnd)).count();
    }

    private void assertDeployedOnce(long promotionId) {
        assertThat(calls("PUT", "/" + FN + "/code")).as("UpdateFunctionCode calls").isEqualTo(1);
        assertThat(calls("POST", "/" + FN + "/versions")).as("PublishVersion calls").isEqualTo(1);
        assertThat(lambda.versions(FN)).containsExactly("1", "2");
        assertThat(lambda.aliasVersion(FN, "live")).isEqualTo("2");
        assertThat(lambda.aliasWeights(FN, "live")).isEmpty();
        assertThat(promotions.promotion(promotionId).status()).isEqualTo(PromotionStatus.DEPLOYED);
        assertThat(promotions.entries(promotionId)).filteredOn(e -> e.kind() == LedgerKind.DEPLOYED).hasSize(1);
        assertThat(promotions.locks()).isEmpty();
    }

    @Test
    void theWholePlanGoesThroughEveryPhaseAndRecordsTheDeploymentOnce() {
        LambdaDriver d = create("integration", FN, "10%/1m, 100%");
        List<LambdaDriver.Phase> phases = new ArrayList<>(List.of(d.phase()));
        Next end = drive(d, phases);

        assertThat(end).isInstanceOf(Next.Done.class);
        assertThat(((Next.Done) end).result()).isEqualTo("2");
        assertThat(phases).containsExactly(LambdaDriver.Phase.GATES, LambdaDriver.Phase.UPDATING, LambdaDriver.Phase.PUBLISHING,
                LambdaDriver.Phase.PROBING, LambdaDriver.Phase.ROLLING_OUT, LambdaDriver.Phase.DONE);
        long promotionId = d.state().promotionId;
        assertDeployedOnce(promotionId);
        assertThat(calls("PUT", "/aliases/live")).as("UpdateAlias calls: 10%, then 100%").isEqualTo(2);
        assertThat(log).contains("Alias live now: version 1 90%, version 2 10%", "Alias live now: version 1 0%, version 2 100%")
                .anyMatch(l -> l.startsWith("  metric invoke-errors: PASS"))
                .anyMatch(l -> l.startsWith("Published integration-orders version 2"));

        int before = lambda.calls().size();
        Next again = reload(lambda.endpoint()).advance(clock.instant());
        assertThat(again).isInstanceOf(Next.Done.class);
        assertThat(lambda.calls()).as("an ended deployment calls nothing").hasSize(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"update:begun", "update:called", "update:done", "publish:begun", "publish:called", "publish:done",
            "alias:10", "alias:100"})
    void aRestartAfterEachSideEffectNeitherUpdatesNorPublishesTwice(String point) {
        LambdaDriver d = create("integration", FN, "10%/1m, 100%").withHooks(p -> {
            if (p.equals(point)) {
                throw new SimulatedCrash(point);
            }
        });
        boolean crashed = false;
        try {
            drive(d, null);
        } catch (SimulatedCrash e) {
            crashed = true;
        }
        assertThat(crashed).as("stopped at " + point).isTrue();

        restart();
        LambdaDriver after = reload(lambda.endpoint());
        Next end = drive(after, null);

        assertThat(end).isInstanceOf(Next.Done.class);
        assertThat(((Next.Done) end).result()).isEqualTo("2");
        assertDeployedOnce(after.state().promotionId);
        assertThat(calls("PUT", "/aliases/live")).as("UpdateAlias calls").isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATING:down", "UPDATING:hanging", "PUBLISHING:down", "PUBLISHING:hanging", "PROBING:down",
            "PROBING:hanging"})
    void anEndpointThatIsDownOrHangsBeforeTheRolloutFailsTheDeploymentWithTheAliasUnchanged(String phaseAndMode) throws Exception {
        String[] pm = phaseAndMode.split(":");
        LambdaDriver.Phase phase = LambdaDriver.Phase.valueOf(pm[0]);
        LambdaDriver d = create("integration", FN, "10%/1m, 100%");
        driveUntil(d, phase);

        LambdaDriver broken = reload(badEndpoint(pm[1]));
        Next end = null;
        for (int i = 0; i < 50 && (end == null || !end.terminal()); i++) {
            end = timedAdvance(broken);
            if (end instanceof Next.Wait w && w.until().isAfter(clock.instant())) {
                clock.set(w.until());
            }
        }
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).as(end.why()).containsAnyOf("failed (", "timed out", "Unable to execute", "SdkClientException",
                "ApiCallTimeoutException", "ApiCallAttemptTimeoutException");
        assertThat(lambda.aliasVersion(FN, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(FN, "live")).isEmpty();
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(promotions.locks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"down", "hanging"})
    void anEndpointThatIsDownOrHangsDuringTheRolloutNeverSucceedsAndRollsBackOnceItAnswers(String mode) throws Exception {
        LambdaDriver d = create("integration", FN, "10%/1m, 100%");
        driveUntil(d, LambdaDriver.Phase.ROLLING_OUT);
        Next first = d.advance(clock.instant()); // 10% set
        assertThat(lambda.aliasWeights(FN, "live")).containsEntry("2", 0.1);
        clock.set(((Next.Wait) first).until());

        LambdaDriver broken = reload(badEndpoint(mode));
        for (int i = 0; i < 6; i++) {
            Next n = timedAdvance(broken);
            assertThat(n).as("never done while Lambda cannot be reached").isNotInstanceOf(Next.Done.class);
            if (n.terminal()) {
                break;
            }
            clock.set(((Next.Wait) n).until());
        }
        String rolloutId = d.state().rolloutId;
        assertThat(canaries.get(rolloutId).state()).isIn(CanaryState.ROLLING_BACK, CanaryState.WAITING, CanaryState.PAUSED);

        Next end = drive(reload(lambda.endpoint()), null);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("rolled back: alias live of integration-orders is back on version 1");
        assertThat(lambda.aliasVersion(FN, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(FN, "live")).isEmpty();
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(promotions.entries(d.state().promotionId)).filteredOn(e -> e.kind() == LedgerKind.FAILED).hasSize(1);
    }

    @Test
    void aStopDuringTheRolloutPutsTheAliasBackOnTheStableVersionAtTheNextAdvance() {
        LambdaDriver d = create("integration", FN, "10%/1m, 100%");
        driveUntil(d, LambdaDriver.Phase.ROLLING_OUT);
        d.advance(clock.instant());
        assertThat(lambda.aliasWeights(FN, "live")).containsEntry("2", 0.1);

        d.requestStop("the build was aborted");
        Next end = drive(reload(lambda.endpoint()), null);

        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("rolled back: alias live of integration-orders is back on version 1")
                .contains("the build was aborted");
        assertThat(lambda.aliasVersion(FN, "live")).isEqualTo("1");
        assertThat(lambda.aliasWeights(FN, "live")).isEmpty();
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(canaries.get(d.state().rolloutId).state()).isEqualTo(CanaryState.ABORTED);
    }

    @Test
    void aStopBeforeTheRolloutCancelsThePromotionAndSendsNothingMore() {
        LambdaDriver d = create("integration", FN, "10%/1m, 100%");
        driveUntil(d, LambdaDriver.Phase.PUBLISHING);
        d.requestStop("the build was aborted");
        Next end = drive(d, null);

        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("stopped before the version was published: the build was aborted");
        assertThat(calls("POST", "/" + FN + "/versions")).isZero();
        assertThat(lambda.aliasVersion(FN, "live")).isEqualTo("1");
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.CANCELLED);
        assertThat(promotions.locks()).isEmpty();
    }

    @Test
    void gatesThatStillWaitAtTheGateTimeoutCancelThePromotionNamingThem() {
        promotions.configure(EnvironmentOrder.of(List.of(Environment.first("integration")
                .withApprovals(ApprovalRule.of(1, Set.of(), Set.of("release-managers"), false)))), "admin");
        LambdaRelease.Request r = new LambdaRelease.Request("integration", "prod-orders", "live",
                new LambdaCode.S3Object("builds", "orders.zip", s3Version), Artifact.of("orders", "2.0.0", digest), "AllAtOnce",
                "{}", "main", "orders/main", null, "ci");
        LambdaDriver d = LambdaDriver.create("lambda-1", services(), access(lambda.endpoint()),
                new LambdaDriver.Request(r, "ci", Duration.ofSeconds(20), Duration.ofMinutes(2)), log::add);
        Next first = d.advance(clock.instant());
        assertThat(first).isInstanceOf(Next.Wait.class);
        assertThat(((Next.Wait) first).until()).isEqualTo(clock.instant().plusSeconds(30));

        Next end = drive(d, null);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("timed out after 2 minutes waiting for: approvals");
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.CANCELLED);
        assertThat(lambda.calls()).as("nothing is sent to AWS before the gates pass").isEmpty();
        assertThat(log.stream().filter(l -> l.startsWith("Gates of promotion"))).as("verdicts logged when they change").hasSize(1);
    }

    @Test
    void aDigestOtherThanThePromotedOneFailsBeforePublishing() {
        String other = lambda.putS3Object("builds", "orders.zip", LambdaTesting.zip("orders 2.0.0 rebuilt"));
        LambdaRelease.Request r = new LambdaRelease.Request("integration", FN, "live",
                new LambdaCode.S3Object("builds", "orders.zip", other), Artifact.of("orders", "2.0.0", digest), "AllAtOnce",
                "{}", "main", "orders/main", null, "ci");
        LambdaDriver d = LambdaDriver.create("lambda-1", services(), access(lambda.endpoint()),
                new LambdaDriver.Request(r, "ci", Duration.ofSeconds(20), Duration.ofHours(1)), log::add);
        Next end = drive(d, null);
        assertThat(end.why()).startsWith("digest: s3://builds/orders.zip?versionId=" + other + " gave integration-orders CodeSha256")
                .contains("nothing was published and no alias was changed");
        assertThat(calls("POST", "/" + FN + "/versions")).isZero();
        assertThat(promotions.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.FAILED);
    }

    // ------------------------------------------------------------------------------------------------------

    private void driveUntil(LambdaDriver d, LambdaDriver.Phase phase) {
        for (int i = 0; i < 1_000 && d.phase() != phase; i++) {
            Next n = d.advance(clock.instant());
            assertThat(n.terminal()).as("ended before " + phase + ": " + n.why()).isFalse();
            if (n instanceof Next.Wait w && w.until().isAfter(clock.instant())) {
                clock.set(w.until());
            }
        }
        assertThat(d.phase()).isEqualTo(phase);
    }

    /** One advance, which must return within the calls it may make, each within the connection's budget. */
    private Next timedAdvance(LambdaDriver d) {
        long start = System.nanoTime();
        Next n = d.advance(clock.instant());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Duration budget = CALL_TIMEOUT.multipliedBy(2L * MAX_CALLS_PER_ADVANCE).plusSeconds(2);
        assertThat(took).as("one advance (" + n.why() + ")").isLessThan(budget);
        return n;
    }

    private URI badEndpoint(String mode) {
        if (mode.equals("down")) {
            return URI.create("http://127.0.0.1:" + Ports.free());
        }
        Silent s = new Silent();
        toClose.add(s);
        return URI.create("http://127.0.0.1:" + s.port());
    }

    /** Accepts connections and never answers. */
    private static final class Silent implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Silent() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-endpoint");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.join(5_000);
        }
    }

    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }
}
