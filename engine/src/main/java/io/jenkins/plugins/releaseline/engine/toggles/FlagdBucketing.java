package io.jenkins.plugins.releaseline.engine.toggles;

import java.nio.charset.StandardCharsets;

/**
 * The percentage bucketing of flagd's {@code fractional} operator as the Java flagd provider 0.11.15 computes
 * it ({@code Fractional.distributeValue}): MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of the
 * bucketing key (the flag key followed by the targeting key, unless the rule names another key); then
 * {@code bucket = |hash| * 1.0f / Integer.MAX_VALUE * 100} in float arithmetic, and the first variant whose
 * running float sum of {@code weight * 100 / totalWeight} exceeds the bucket wins. Reproduced operation by
 * operation so that our answers equal an OpenFeature client's, including at the float edges.
 */
final class FlagdBucketing {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private FlagdBucketing() {}

    /** The bucket in [0, 100] (100 itself only at the float edge) for {@code prefix} followed by {@code suffix}. */
    static float bucket(Prefix prefix, String suffix) {
        int mmrHash = murmur3(prefix, suffix);
        return Math.abs(mmrHash) * 1.0f / Integer.MAX_VALUE * 100;
    }

    /** A bucketing key's fixed start (the toggle key), hashed once: evaluation continues from its state. */
    static final class Prefix {
        private final int h1;
        private final int block;
        private final int filled;
        private final int length;

        Prefix(byte[] bytes) {
            Murmur m = new Murmur();
            for (byte b : bytes) {
                m.add(b);
            }
            this.h1 = m.h1;
            this.block = m.block;
            this.filled = m.filled;
            this.length = m.length;
        }
    }

    /** Cumulative float sums of each weight's share, as flagd adds them up. */
    static float[] cumulative(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        float[] sums = new float[weights.length];
        float sum = 0;
        for (int i = 0; i < weights.length; i++) {
            float share = weights[i] == 0 ? 0 : (float) (weights[i] * 100) / total;
            sum += share;
            sums[i] = sum;
        }
        return sums;
    }

    /** The index of the bucket's slot, or -1 where flagd finds none (it then fails the evaluation). */
    static int slot(float bucket, float[] cumulative) {
        for (int i = 0; i < cumulative.length; i++) {
            if (bucket < cumulative[i]) {
                return i;
            }
        }
        return -1;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * MurmurHash3_x86_32 with seed 0 of {@code prefix} followed by the UTF-8 encoding of {@code suffix}
     * (unpaired surrogates encode as '?', as {@link String#getBytes} does), streamed without allocating.
     */
    static int murmur3(byte[] prefix, String suffix) {
        return murmur3(new Prefix(prefix), suffix);
    }

    static int murmur3(Prefix prefix, String suffix) {
        Murmur m = new Murmur();
        m.h1 = prefix.h1;
        m.block = prefix.block;
        m.filled = prefix.filled;
        m.length = prefix.length;
        int n = suffix.length();
        for (int i = 0; i < n; i++) {
            char ch = suffix.charAt(i);
            if (ch < 0x80) {
                m.add(ch);
            } else if (ch < 0x800) {
                m.add(0xc0 | (ch >> 6));
                m.add(0x80 | (ch & 0x3f));
            } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(suffix.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, suffix.charAt(++i));
                m.add(0xf0 | (cp >> 18));
                m.add(0x80 | ((cp >> 12) & 0x3f));
                m.add(0x80 | ((cp >> 6) & 0x3f));
                m.add(0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(ch)) {
                m.add('?');
            } else {
                m.add(0xe0 | (ch >> 12));
                m.add(0x80 | ((ch >> 6) & 0x3f));
                m.add(0x80 | (ch & 0x3f));
            }
        }
        return m.finish();
    }

    /** The hash state; a local object that escape analysis keeps off the heap. */
    private static final class Murmur {
        private int h1;
        private int block;
        private int filled;
        private int length;

        void add(int b) {
            block |= (b & 0xff) << (filled * 8);
            length++;
            if (++filled == 4) {
                h1 ^= mixK1(block);
                h1 = Integer.rotateLeft(h1, 13);
                h1 = h1 * 5 + 0xe6546b64;
                block = 0;
                filled = 0;
            }
        }

        int finish() {
            if (filled > 0) {
                h1 ^= mixK1(block);
            }
            h1 ^= length;
            h1 ^= h1 >>> 16;
            h1 *= 0x85ebca6b;
            h1 ^= h1 >>> 13;
            h1 *= 0xc2b2ae35;
            h1 ^= h1 >>> 16;
            return h1;
        }

        private static int mixK1(int k1) {
            k1 *= C1;
            k1 = Integer.rotateLeft(k1, 15);
            return k1 * C2;
        }
    }
}
