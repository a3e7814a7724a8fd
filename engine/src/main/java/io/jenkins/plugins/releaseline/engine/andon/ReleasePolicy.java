package io.jenkins.plugins.releaseline.engine.andon;

/** What the next successful build of a line job does to the freeze its failure pulled. */
public enum ReleasePolicy {
    /** The first successful build releases it. */
    AUTO_RELEASE,
    /** It stays pulled until a person releases it. */
    STAY_PULLED
}
