package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/** An analysis's (or a metric's) judgement. Only {@link #PASS} lets a canary move on. */
public enum Verdict {
    PASS, MARGINAL, FAIL, INCONCLUSIVE
}
