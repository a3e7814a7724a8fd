package io.jenkins.plugins.releaseline.engine.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Artifact names and digests as small integers, and what is known of each digest's change (commit time, hotfix). */
final class Catalog {

    private final Map<String, Integer> artifacts = new HashMap<>();
    private final List<String> artifactNames = new ArrayList<>();
    private final Map<String, Integer> digests = new HashMap<>();
    private long[] commitMicros = new long[1024];
    private boolean[] hotfix = new boolean[1024];

    int artifact(String name) {
        Integer i = artifacts.get(name);
        if (i == null) {
            i = artifactNames.size();
            artifacts.put(name, i);
            artifactNames.add(name);
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
        String key = art + "\n" + digest;
        Integer i = digests.get(key);
        if (i == null) {
            i = digests.size();
            digests.put(key, i);
            if (i == commitMicros.length) {
                commitMicros = Arrays.copyOf(commitMicros, i * 2);
                hotfix = Arrays.copyOf(hotfix, i * 2);
            }
            commitMicros[i] = Long.MIN_VALUE;
        }
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
}
