package io.jenkins.plugins.releaseline.engine.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

/**
 * Our re-implementations next to the code flagd's Java provider 0.11.15 calls: commons-codec's
 * {@code MurmurHash3.hash32x86} for {@code fractional}, semver4j's {@code Semver} for {@code sem_ver}.
 */
class FlagdBucketingTest {

    private static final String[] PIECES = {"user-", "ü", "日本", "\uD83D\uDE00", "\uD83D", "a", "Zz", "/", " ", "é", "\u0000", "42"};

    @Test
    void murmurHashEqualsCommonsCodecOnSeededKeysOfEveryLengthAndScript() {
        Random r = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            String prefix = randomText(r, r.nextInt(4));
            String suffix = randomText(r, r.nextInt(8));
            byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
            byte[] whole = (prefix + suffix).getBytes(StandardCharsets.UTF_8);
            assertThat(FlagdBucketing.murmur3(p, suffix))
                    .as("hash of '%s' + '%s'", prefix, suffix)
                    .isEqualTo(MurmurHash3.hash32x86(whole, 0, whole.length, 0));
        }
    }

    @Test
    void bucketsFollowFlagdsFloatArithmetic() {
        // the float edge: |hash| close to Integer.MAX_VALUE rounds to a bucket of exactly 100, past every slot
        assertThat(Math.abs(Integer.MAX_VALUE - 10) * 1.0f / Integer.MAX_VALUE * 100).isEqualTo(100f);
        float[] halves = FlagdBucketing.cumulative(new int[] {50, 50});
        assertThat(FlagdBucketing.slot(49.99f, halves)).isZero();
        assertThat(FlagdBucketing.slot(50f, halves)).isEqualTo(1);
        assertThat(FlagdBucketing.slot(100f, halves)).isEqualTo(-1);
        assertThat(FlagdBucketing.cumulative(new int[] {1, 1, 1})).containsExactly(100f / 3, 100f / 3 + 100f / 3, 100f / 3 + 100f / 3 + 100f / 3);
    }

    @Test
    void semanticVersionsCompareAsSemver4jDoes() {
        Random r = new Random(11);
        String[] pre = {"alpha", "alpha.1", "beta", "beta.2", "beta.11", "rc.1", "0", "1", "x-y", "2a", "01", "a..b", ""};
        String[] ops = {"=", "!=", "<", "<=", ">", ">="};
        RuleOperator[] ours = {RuleOperator.SEMVER_EQUAL, RuleOperator.SEMVER_NOT_EQUAL, RuleOperator.SEMVER_LESS,
            RuleOperator.SEMVER_LESS_OR_EQUAL, RuleOperator.SEMVER_GREATER, RuleOperator.SEMVER_GREATER_OR_EQUAL};
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            String a = version(r, pre);
            String b = version(r, pre);
            Semver sa = Semver.parse(a);
            Semver sb = Semver.parse(b);
            SemVerBound bound = SemVerBound.parse(b);
            assertThat(bound != null).as("'%s' parses", b).isEqualTo(sb != null);
            if (bound == null) {
                continue;
            }
            for (int k = 0; k < ops.length; k++) {
                boolean expected = sa != null && compare(ops[k], sa.compareTo(sb));
                assertThat(bound.test(a, ours[k])).as("%s %s %s", a, ops[k], b).isEqualTo(expected);
                compared++;
            }
            assertThat(bound.test(a, RuleOperator.SEMVER_SAME_MAJOR)).isEqualTo(sa != null && sa.getMajor() == sb.getMajor());
            assertThat(bound.test(a, RuleOperator.SEMVER_SAME_MINOR))
                    .isEqualTo(sa != null && sa.getMajor() == sb.getMajor() && sa.getMinor() == sb.getMinor());
        }
        assertThat(compared).isGreaterThan(50_000);
    }

    private static boolean compare(String op, int c) {
        return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static String version(Random r, String[] pre) {
        StringBuilder sb = new StringBuilder();
        int shape = r.nextInt(20);
        if (shape == 0) {
            return "1.2";
        }
        if (shape == 1) {
            sb.append('v');
        }
        if (shape == 2) {
            sb.append("0");
        }
        sb.append(r.nextInt(3)).append('.').append(r.nextInt(3)).append('.').append(r.nextInt(3));
        if (r.nextInt(2) == 0) {
            sb.append('-').append(pre[r.nextInt(pre.length)]);
        }
        if (r.nextInt(5) == 0) {
            sb.append("+b").append(r.nextInt(3));
        }
        return shape == 3 ? " " + sb + "\t" : sb.toString();
    }

    private static String randomText(Random r, int pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
            if (r.nextBoolean()) {
                sb.append(r.nextInt(1000));
            }
        }
        return sb.toString();
    }
}
