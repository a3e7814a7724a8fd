package io.jenkins.plugins.releaseline.engine.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArtifactTest {

    static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void digestsAreNormalisedToTheSha256Form() {
        assertThat(Digest.parse(HEX).value()).isEqualTo("sha256:" + HEX);
        assertThat(Digest.parse("SHA256:" + HEX.toUpperCase()).value()).isEqualTo("sha256:" + HEX);
        assertThat(Digest.parse("sha256:" + HEX).shortForm()).isEqualTo("sha256:e3b0c44298fc");
    }

    @Test
    void theDigestOfAFileIsItsSha256() throws Exception {
        assertThat(Digest.of(new ByteArrayInputStream(new byte[0])).hex()).isEqualTo(HEX);
        assertThat(Digest.of(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void badDigestsSayWhatIsWrong() {
        assertThatThrownBy(() -> Digest.parse("sha256:" + "g".repeat(64)))
                .hasMessage("digest: 'sha256:" + "g".repeat(64) + "' contains characters that are not hex digits (0-9, a-f); "
                        + "give sha256:<64 hex digits>, e.g. the output of sha256sum or an image digest");
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageStartingWith("digest: 'sha256:abc' has 3 characters after 'sha256:' instead of 64");
        assertThatThrownBy(() -> Digest.parse("md5:" + "a".repeat(32))).hasMessageStartingWith("digest: 'md5:aaaa");
        assertThatThrownBy(() -> Digest.parse(" ")).hasMessageStartingWith("digest: must not be empty");
    }

    @Test
    void randomTextIsAcceptedAsADigestOnlyWhenItIs64HexDigits() {
        Random random = new Random(20261125L);
        String alphabet = "0123456789abcdefABCDEFxyz:/. ";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 60 + random.nextInt(10);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(random.nextInt(10) == 0 ? alphabet.length() : 22)));
            }
            String text = sb.toString();
            boolean valid = text.strip().matches("[0-9a-fA-F]{64}");
            if (valid) {
                assertThat(Digest.parse(text).hex()).isEqualTo(text.strip().toLowerCase());
            } else {
                assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("digest: ");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../1.0", "1.0/../../etc", "a/b", "1.0\\x", "..", "1..2"})
    void versionsWithPathCharactersAreRefused(String version) {
        assertThatThrownBy(() -> Artifact.of("app", version, HEX))
                .hasMessage("version: '" + version + "' contains path characters ('/', '\\' or '..'); give a plain version such as 1.4.2");
    }

    @Test
    void versionsAndNamesAreChecked() {
        assertThat(Artifact.of("app", "1.4.2+build.7", HEX).version()).isEqualTo("1.4.2+build.7");
        assertThatThrownBy(() -> Artifact.of("app", "1.0 beta", HEX)).hasMessageStartingWith("version: '1.0 beta' may hold only");
        assertThatThrownBy(() -> Artifact.of("", "1.0", HEX)).hasMessageStartingWith("artifact: must name what is promoted");
        assertThatThrownBy(() -> Artifact.of("app\n", "1.0", HEX)).hasMessageStartingWith("artifact: contains the control character U+000A");
    }

    @Test
    void branchGlobsMatchWithinAndAcrossSegments() {
        BranchPattern release = new BranchPattern("release/*");
        assertThat(release.matches("release/1.4")).isTrue();
        assertThat(release.matches("release/1.4/hotfix")).isFalse();
        assertThat(release.matches("release")).isFalse();
        assertThat(new BranchPattern("feature/**").matches("feature/a/b")).isTrue();
        assertThat(new BranchPattern("v?.x").matches("v1.x")).isTrue();
        assertThat(new BranchPattern("main").matches("main2")).isFalse();
        assertThat(new BranchPattern("a.b").matches("axb")).as("a dot is literal").isFalse();
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertThat(Durations.human(Duration.ofMinutes(192))).isEqualTo("3h 12m");
        assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.human(Duration.ofSeconds(61))).isEqualTo("1m 1s");
        assertThat(Durations.human(Duration.ofHours(52))).isEqualTo("2d 4h");
        assertThat(Durations.human(Duration.ofMillis(1))).as("rounds up: never says 0s while time is left").isEqualTo("1s");
    }
}
