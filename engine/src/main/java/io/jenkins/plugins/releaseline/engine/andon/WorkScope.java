package io.jenkins.plugins.releaseline.engine.andon;

/**
 * Where a piece of work runs, as the board's {@code check} sees it. Built once per queue item or step call;
 * nothing here is validated, because the decision must be cheap and never throw on odd job names.
 *
 * @param jobPath     the job's full name ({@code team-a/payments/main}), or {@code null}
 * @param environment the target environment of a deployment or promotion, or {@code null}
 * @param build       the build asking ({@code team-a/payments/main#42}), which a break-glass override
 *                    names; or {@code null}
 */
public record WorkScope(String jobPath, String environment, String build) {

    public static WorkScope job(String jobPath) {
        return new WorkScope(jobPath, null, null);
    }

    public static WorkScope deployment(String jobPath, String environment, String build) {
        return new WorkScope(jobPath, environment, build);
    }
}
