package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Someone who acts (requests, approves, rejects): a user id and the groups the security realm gives it. */
public record Actor(String id, Set<String> groups) {

    public Actor {
        id = Inputs.requirePrincipal(id);
        groups = groups == null ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(groups));
    }

    public static Actor user(String id, String... groups) {
        return new Actor(id, Set.of(groups));
    }
}
