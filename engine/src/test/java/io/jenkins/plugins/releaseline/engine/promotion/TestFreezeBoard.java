package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A freeze board for the tests: freezes set per environment by hand. */
final class TestFreezeBoard implements FreezeCheck {

    private final Map<String, String> frozen = new ConcurrentHashMap<>();

    void freeze(String environment, String reason) {
        frozen.put(environment, reason);
    }

    void lift(String environment) {
        frozen.remove(environment);
    }

    @Override
    public Answer check(String environment, String jobPath, String principal) {
        String reason = frozen.get(environment);
        return reason == null ? Answer.clear() : Answer.blocked(List.of(reason));
    }
}
