package io.jenkins.plugins.releaseline.engine.andon;

import java.util.Map;

/**
 * Freezes by job path prefix, looked up for every prefix of a job's full name ({@code a}, {@code a/b},
 * {@code a/b/c}) without cutting substrings: an open-addressing table keyed by {@link String#hashCode()},
 * whose value for a prefix of length {@code n} is the polynomial hash of the first {@code n} characters, so
 * one pass over the name gives every prefix's hash. Immutable once built.
 */
final class PrefixIndex {

    static final PrefixIndex EMPTY = new PrefixIndex(Map.of());

    private final String[] keys;
    private final int[] hashes;
    private final ActiveEntry[][] values;
    private final int mask;
    private final int size;

    PrefixIndex(Map<String, ActiveEntry[]> byPrefix) {
        int capacity = Integer.highestOneBit(Math.max(4, byPrefix.size() * 4) - 1) << 1;
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new ActiveEntry[capacity][];
        mask = capacity - 1;
        size = byPrefix.size();
        for (Map.Entry<String, ActiveEntry[]> e : byPrefix.entrySet()) {
            int h = e.getKey().hashCode();
            int i = spread(h) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            hashes[i] = h;
            values[i] = e.getValue();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The freezes registered for exactly the first {@code length} characters of {@code path}, or {@code null}. */
    ActiveEntry[] get(String path, int length, int hash) {
        int i = spread(hash) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (hashes[i] == hash && k.length() == length && path.regionMatches(0, k, 0, length)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
