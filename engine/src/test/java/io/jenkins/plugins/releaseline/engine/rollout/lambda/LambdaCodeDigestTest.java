package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LambdaCodeDigestTest {

    // FIPS 180-2 test vector: SHA-256("abc")
    private static final String ABC_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String ABC_BASE64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

    @Test
    void hexAndLambdasBase64NameTheSameBytes() {
        LambdaCodeDigest d = LambdaCodeDigest.of("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.hex()).isEqualTo(ABC_HEX);
        assertThat(d.codeSha256()).isEqualTo(ABC_BASE64);
        assertThat(LambdaCodeDigest.parse("sha256:" + ABC_HEX)).isEqualTo(d);
        assertThat(LambdaCodeDigest.parse(ABC_HEX.toUpperCase())).isEqualTo(d);
        assertThat(LambdaCodeDigest.parse("SHA256:" + ABC_HEX)).isEqualTo(d);
        assertThat(LambdaCodeDigest.fromCodeSha256(ABC_BASE64)).isEqualTo(d);
        assertThat(LambdaCodeDigest.fromCodeSha256(ABC_BASE64).promoted()).isEqualTo("sha256:" + ABC_HEX);
    }

    @Test
    void roundTripsForRandomDigests() {
        Random random = new Random(20261125L);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            LambdaCodeDigest d = new LambdaCodeDigest(bytes);
            assertThat(LambdaCodeDigest.fromCodeSha256(d.codeSha256())).isEqualTo(d);
            assertThat(LambdaCodeDigest.parse(d.promoted())).isEqualTo(d);
            assertThat(LambdaCodeDigest.parse(d.hex())).isEqualTo(d);
        }
    }

    @Test
    void refusesWhatIsNotASha256() {
        assertThatThrownBy(() -> LambdaCodeDigest.parse("")).hasMessageStartingWith("digest:");
        assertThatThrownBy(() -> LambdaCodeDigest.parse("sha256:abc")).hasMessageStartingWith("digest: 'sha256:abc' is not");
        assertThatThrownBy(() -> LambdaCodeDigest.parse(ABC_BASE64)).hasMessageStartingWith("digest:");
        assertThatThrownBy(() -> LambdaCodeDigest.parse("md5:" + ABC_HEX)).hasMessageStartingWith("digest:");
        assertThatThrownBy(() -> LambdaCodeDigest.fromCodeSha256("bm90IGEgZGlnZXN0")).hasMessageStartingWith("CodeSha256:");
    }
}
