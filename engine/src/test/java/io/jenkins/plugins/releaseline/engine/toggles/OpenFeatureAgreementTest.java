package io.jenkins.plugins.releaseline.engine.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external check: the OpenFeature Java SDK 1.22.0 with the flagd provider 0.11.15 in offline file mode,
 * pointed at our export, must answer exactly what {@link FeatureToggles#evaluate} answers, for 10,000 seeded
 * contexts and every example toggle: the same value and variant, and the corresponding reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenFeatureAgreementTest {

    static final String DOMAIN = "release-line-agreement";
    static final int CONTEXTS = 10_000;
    static final long SEED = 20261125L;

    @TempDir
    static Path folder;

    Store store;
    FeatureToggles toggles;
    Client client;

    @BeforeAll
    void start() throws Exception {
        store = StoreTarget.h2(folder).open();
        toggles = new FeatureToggles(store, new AuditTrail(store, new TestClock(Instant.parse("2026-11-01T00:00:00Z"))),
                new TestClock(Instant.parse("2026-11-01T00:00:00Z")));
        ToggleExamples.defineAll(toggles);
        FlagdExportFile.keepWritten(toggles, folder);
        Path file = folder.resolve("prod.flagd.json");
        FlagdOptions options = FlagdOptions.builder()
                .resolverType(Config.Resolver.FILE)
                .offlineFlagSourcePath(file.toString())
                .offlinePollIntervalMs(200)
                // the default 1 s is too short on a busy build machine
                .deadline(30_000)
                .build();
        OpenFeatureAPI.getInstance().setProviderAndWait(DOMAIN, new FlagdProvider(options));
        client = OpenFeatureAPI.getInstance().getClient(DOMAIN);
    }

    @AfterAll
    void stop() {
        OpenFeatureAPI.getInstance().shutdown();
        store.close();
    }

    @Test
    void theOpenFeatureClientAgreesWithEvaluateOnEveryContext() {
        Random random = new Random(SEED);
        int agreements = 0;
        int comparisons = 0;
        Map<String, Map<String, Integer>> reasons = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < CONTEXTS; i++) {
            Map<String, Object> attributes = ContextGenerator.next(random);
            ToggleContext ours = ToggleContext.of(attributes);
            ImmutableContext theirs = openFeatureContext(attributes);
            for (ToggleState t : toggles.toggles()) {
                String key = t.key();
                ToggleEvaluation e;
                FlagEvaluationDetails<?> d;
                if (t.definition().type() == ToggleType.BOOLEAN) {
                    e = toggles.evaluate(key, ToggleExamples.ENV, ours, Boolean.FALSE);
                    d = client.getBooleanDetails(key, false, theirs);
                } else {
                    e = toggles.evaluate(key, ToggleExamples.ENV, ours, "app-default");
                    d = client.getStringDetails(key, "app-default", theirs);
                }
                comparisons++;
                if (agree(e, d)) {
                    agreements++;
                } else if (disagreements.size() < 20) {
                    disagreements.add(key + " with " + attributes + ": ours " + e + ", OpenFeature " + d.getValue() + " variant "
                            + d.getVariant() + " reason " + d.getReason() + " " + d.getErrorCode() + " " + d.getErrorMessage());
                }
                reasons.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(e.reason().name(), 1, Integer::sum);
            }
        }
        System.out.printf("OpenFeature agreement: %d of %d evaluations agree (%d contexts x %d toggles, seed %d)%n",
                agreements, comparisons, CONTEXTS, toggles.toggles().size(), SEED);
        System.out.println("Reasons per toggle (ours): " + reasons);
        assertThat(disagreements).isEmpty();
        assertThat(agreements).isEqualTo(CONTEXTS * toggles.toggles().size());
        // the set exercises every path: each reason occurs, and the rollouts split
        assertThat(reasons.get("ten-rules")).containsKeys("TARGETING_MATCH", "SPLIT", "DEFAULT");
        assertThat(reasons.get("colour-test")).containsKeys("TARGETING_MATCH", "SPLIT", "DEFAULT");
        assertThat(reasons.get("disabled")).containsOnlyKeys("DISABLED");
        assertThat(reasons.get("killed")).containsOnlyKeys("DISABLED");
    }

    @Test
    void aFlipReachesTheClientThroughTheFileAndTheyStillAgree() throws Exception {
        ImmutableContext someone = new ImmutableContext("user-flip-check", Map.of());
        assertThat(client.getBooleanDetails("disabled", false, someone).getValue()).isFalse();
        toggles.set(ToggleExamples.PRINCIPAL, "disabled", ToggleExamples.ENV, true, 50, "agreement after a change");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (client.getBooleanDetails("disabled", false, someone).getReason().equals("ERROR") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> attributes = ContextGenerator.next(random);
            ToggleEvaluation e = toggles.evaluate("disabled", ToggleExamples.ENV, ToggleContext.of(attributes), Boolean.FALSE);
            FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("disabled", false, openFeatureContext(attributes));
            assertThat(agree(e, d)).as("%s: ours %s, OpenFeature %s %s %s", attributes, e, d.getValue(), d.getVariant(), d.getReason()).isTrue();
        }
        toggles.set(ToggleExamples.PRINCIPAL, "disabled", ToggleExamples.ENV, false, null, "back off");
        // leave the client as the other test expects it
        deadline = System.nanoTime() + 60_000_000_000L;
        while (!client.getBooleanDetails("disabled", false, someone).getReason().equals("ERROR") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(client.getBooleanDetails("disabled", false, someone).getReason()).isEqualTo("ERROR");
    }

    /** Same value and variant; reasons as flagd names them (a split is a targeting match there, a disabled flag an error). */
    static boolean agree(ToggleEvaluation ours, FlagEvaluationDetails<?> theirs) {
        if (!java.util.Objects.equals(ours.value(), theirs.getValue())) {
            return false;
        }
        if (!java.util.Objects.equals(ours.variant(), theirs.getVariant())) {
            return false;
        }
        String r = theirs.getReason();
        return switch (ours.reason()) {
            case TARGETING_MATCH, SPLIT -> "TARGETING_MATCH".equals(r);
            case DEFAULT -> "DEFAULT".equals(r) || "STATIC".equals(r);
            case DISABLED -> "DISABLED".equals(r) || "ERROR".equals(r);
            case ERROR -> "ERROR".equals(r);
        };
    }

    static ImmutableContext openFeatureContext(Map<String, Object> attributes) {
        Map<String, Value> values = new HashMap<>();
        String targetingKey = null;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            Object v = e.getValue();
            if (e.getKey().equals(ToggleContext.TARGETING_KEY)) {
                targetingKey = (String) v;
            } else if (v instanceof String s) {
                values.put(e.getKey(), new Value(s));
            } else if (v instanceof Boolean b) {
                values.put(e.getKey(), new Value(b));
            } else if (v instanceof Integer n) {
                values.put(e.getKey(), new Value(n));
            } else if (v instanceof Double n) {
                values.put(e.getKey(), new Value(n));
            } else {
                throw new IllegalStateException("unexpected " + v);
            }
        }
        return targetingKey == null ? new ImmutableContext(values) : new ImmutableContext(targetingKey, values);
    }
}
