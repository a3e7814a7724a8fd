package io.jenkins.plugins.releaseline.engine.store;

/** The two databases the store runs on. SQL in the migrations is written to run unchanged on both. */
public enum Dialect {
    H2,
    POSTGRESQL;

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        return null;
    }
}
