package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntCountsTest {

    /** Random increments and removals over a small and a wide key range agree with a HashMap after every step. */
    @ParameterizedTest
    @ValueSource(longs = {1L, 20261125L, 77L})
    void agreesWithAHashMap(long seed) throws Exception {
        Random random = new Random(seed);
        for (int range : new int[] {40, 1_000_000}) {
            IntCounts counts = new IntCounts();
            Map<Integer, Integer> expected = new HashMap<>();
            for (int step = 0; step < 50_000; step++) {
                int key = random.nextInt(range);
                if (random.nextInt(3) == 0) {
                    Integer was = expected.remove(key);
                    assertThat(counts.remove(key)).as("step %d remove %d", step, key).isEqualTo(was == null ? 0 : was);
                } else {
                    expected.merge(key, 1, Integer::sum);
                    counts.increment(key);
                }
                int probe = random.nextInt(range);
                assertThat(counts.get(probe)).as("step %d get %d", step, probe).isEqualTo(expected.getOrDefault(probe, 0));
                assertThat(counts.size()).isEqualTo(expected.size());
            }
            for (Map.Entry<Integer, Integer> e : expected.entrySet()) {
                assertThat(counts.get(e.getKey())).isEqualTo(e.getValue());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                counts.write(out);
            }
            IntCounts read = new IntCounts();
            read.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(read.size()).isEqualTo(expected.size());
            expected.forEach((k, v) -> assertThat(read.get(k)).isEqualTo(v));
        }
    }
}
