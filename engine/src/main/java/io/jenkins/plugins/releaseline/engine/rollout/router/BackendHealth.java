package io.jenkins.plugins.releaseline.engine.rollout.router;

/** A backend's state as its router reports it, with the router's own words in {@code detail}. */
public record BackendHealth(State state, String detail) {

    public enum State { UP, DOWN, DRAINING, MAINTENANCE, UNKNOWN }

    public static BackendHealth unknown(String detail) {
        return new BackendHealth(State.UNKNOWN, detail);
    }
}
