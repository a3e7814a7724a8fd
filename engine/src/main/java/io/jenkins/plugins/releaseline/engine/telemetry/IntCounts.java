package io.jenkins.plugins.releaseline.engine.telemetry;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Counts by non-negative int key without boxing (open addressing, linear probing, deletion by backward shift):
 * the failed attempts of each digest since it last went green, looked up for every deployment folded.
 */
final class IntCounts {

    private static final int FREE = -1;
    private int[] keys = new int[16];
    private int[] counts = new int[16];
    private int size;

    IntCounts() {
        Arrays.fill(keys, FREE);
    }

    int get(int key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return counts[i];
            }
            if (k == FREE) {
                return 0;
            }
        }
    }

    void increment(int key) {
        add(key, 1);
    }

    private void add(int key, int count) {
        if (key < 0) {
            throw new IllegalArgumentException("key: " + key + " is negative");
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != FREE && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == key) {
            counts[i] += count;
            return;
        }
        keys[i] = key;
        counts[i] = count;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Forgets {@code key}; returns its count. */
    int remove(int key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != key) {
            if (keys[i] == FREE) {
                return 0;
            }
            i = (i + 1) & mask;
        }
        int count = counts[i];
        size--;
        // shift back the entries after it that would no longer be found
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                counts[hole] = counts[j];
                hole = j;
            }
        }
        keys[hole] = FREE;
        counts[hole] = 0;
        return count;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new int[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        Arrays.fill(keys, FREE);
        int mask = keys.length - 1;
        for (int o = 0; o < oldKeys.length; o++) {
            if (oldKeys[o] != FREE) {
                int i = slot(oldKeys[o], mask);
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[o];
                counts[i] = oldCounts[o];
            }
        }
    }

    private static int slot(int key, int mask) {
        return (key * 0x9E3779B9 >>> 7) & mask;
    }

    /** Writes the entries in key order (the same counts always encode alike). */
    void write(DataOutputStream out) throws IOException {
        int[] sorted = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != FREE) {
                sorted[n++] = k;
            }
        }
        Arrays.sort(sorted);
        out.writeInt(size);
        for (int k : sorted) {
            out.writeInt(k);
            out.writeInt(get(k));
        }
    }

    void read(DataInputStream in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            int key = in.readInt();
            add(key, in.readInt());
        }
    }
}
