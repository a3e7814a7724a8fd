package io.jenkins.plugins.releaseline.engine.telemetry;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Artifact names and digests as small integers, and what is known of each digest's change (commit time, hotfix). */
final class Catalog {

    private final Map<String, Integer> artifacts = new HashMap<>();
    private final List<String> artifactNames = new ArrayList<>();
    /** Per artifact number: digest -> digest number. */
    private final List<Map<String, Integer>> digestsOf = new ArrayList<>();
    private int digestCount;
    private int[] digestArtifact = new int[1024];
    private String[] digestNames = new String[1024];
    private long[] commitMicros = new long[1024];
    private boolean[] hotfix = new boolean[1024];

    int artifact(String name) {
        Integer i = artifacts.get(name);
        if (i == null) {
            i = artifactNames.size();
            artifacts.put(name, i);
            artifactNames.add(name);
            digestsOf.add(new HashMap<>());
        }
        return i;
    }

    /** The artifact's number, or -1 if the ledger never named it. */
    int knownArtifact(String name) {
        return artifacts.getOrDefault(name, -1);
    }

    String artifactName(int i) {
        return artifactNames.get(i);
    }

    int digest(int art, String digest) {
        Map<String, Integer> of = digestsOf.get(art);
        Integer i = of.get(digest);
        if (i == null) {
            i = add(art, digest);
            of.put(digest, i);
        }
        return i;
    }

    private int add(int art, String digest) {
        int i = digestCount++;
        if (i == commitMicros.length) {
            int size = i * 2;
            commitMicros = Arrays.copyOf(commitMicros, size);
            hotfix = Arrays.copyOf(hotfix, size);
            digestArtifact = Arrays.copyOf(digestArtifact, size);
            digestNames = Arrays.copyOf(digestNames, size);
        }
        commitMicros[i] = Long.MIN_VALUE;
        digestArtifact[i] = art;
        digestNames[i] = digest;
        return i;
    }

    void change(int dig, long commit, boolean isHotfix) {
        commitMicros[dig] = commit;
        hotfix[dig] = isHotfix;
    }

    long commitMicros(int dig) {
        return commitMicros[dig];
    }

    boolean hotfix(int dig) {
        return hotfix[dig];
    }

    // ------------------------------------------------------------------ stored aggregates

    void write(DataOutputStream out) throws IOException {
        out.writeInt(artifactNames.size());
        for (String name : artifactNames) {
            out.writeUTF(name);
        }
        out.writeInt(digestCount);
        for (int i = 0; i < digestCount; i++) {
            out.writeInt(digestArtifact[i]);
            Snapshots.writeDigest(out, digestNames[i]);
            out.writeLong(commitMicros[i]);
            out.writeBoolean(hotfix[i]);
        }
    }

    /** Reads what {@link #write} wrote into this empty catalog. */
    void read(DataInputStream in) throws IOException {
        int names = in.readInt();
        for (int i = 0; i < names; i++) {
            artifact(in.readUTF());
        }
        int count = in.readInt();
        int size = Math.max(1024, Integer.highestOneBit(Math.max(1, count)) * 2);
        commitMicros = new long[size];
        hotfix = new boolean[size];
        digestArtifact = new int[size];
        digestNames = new String[size];
        for (int i = 0; i < count; i++) {
            int art = in.readInt();
            String digest = Snapshots.readDigest(in);
            int d = add(art, digest);
            digestsOf.get(art).put(digest, d);
            commitMicros[d] = in.readLong();
            hotfix[d] = in.readBoolean();
        }
    }
}
