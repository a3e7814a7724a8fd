package io.jenkins.plugins.releaseline.engine.rollout.lambda;

/**
 * A published version of a function, with the digest Lambda reported for it. Publishing code that an earlier
 * version already holds answers that earlier version (Lambda's behaviour), so the number may be an old one.
 */
public record LambdaPublishedVersion(String function, String version, LambdaCodeDigest digest) {}
