package io.jenkins.plugins.releaseline.engine.andon;

import io.jenkins.plugins.releaseline.engine.store.Inputs;

/**
 * Where a freeze applies: everywhere, below a folder/job path, in one environment, or both at once (a job
 * path in an environment). Text form, as typed in the page, the steps and the CLI:
 * {@code everything}, {@code job:team-a/payments}, {@code environment:prod},
 * {@code job:team-a/payments,environment:prod}.
 *
 * @param jobPrefix   a folder or job full name ({@code team-a/payments}); matches itself and everything
 *                    below it; {@code null} for any job
 * @param environment an environment name such as {@code prod}; {@code null} for any (and for plain builds)
 */
public record FreezeScope(String jobPrefix, String environment) {

    public static final FreezeScope EVERYTHING = new FreezeScope(null, null);
    static final int MAX_JOB = 480;
    static final int MAX_ENVIRONMENT = 100;
    private static final String FORMS = "use 'everything', 'job:<folder/job>', 'environment:<name>' "
            + "or 'job:<folder/job>,environment:<name>'";

    public FreezeScope {
        jobPrefix = jobPrefix == null || jobPrefix.isBlank() ? null : normalizeJob("scope", jobPrefix);
        environment = environment == null || environment.isBlank() ? null
                : Inputs.requireName("scope", environment.strip(), MAX_ENVIRONMENT);
    }

    public static FreezeScope job(String prefix) {
        return new FreezeScope(requireNonBlank(prefix, "job"), null);
    }

    public static FreezeScope environment(String name) {
        return new FreezeScope(null, requireNonBlank(name, "environment"));
    }

    /** Parses the text form; anything else is refused with the forms that are understood. */
    public static FreezeScope parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("scope: must not be empty; " + FORMS);
        }
        String t = text.strip();
        if (t.equals("everything")) {
            return EVERYTHING;
        }
        String job = null;
        String env = null;
        for (String part : t.split(",", -1)) {
            String p = part.strip();
            int colon = p.indexOf(':');
            String kind = colon < 0 ? p : p.substring(0, colon);
            String value = colon < 0 ? "" : p.substring(colon + 1).strip();
            if (kind.equals("job") && job == null && !value.isEmpty()) {
                job = value;
            } else if (kind.equals("environment") && env == null && !value.isEmpty()) {
                env = value;
            } else {
                throw new IllegalArgumentException("scope: '" + Inputs.printable(t) + "' is not understood; " + FORMS);
            }
        }
        return new FreezeScope(job, env);
    }

    public boolean isEverything() {
        return jobPrefix == null && environment == null;
    }

    /** Whether work at {@code jobPath} (a job full name) in {@code env} lies in this scope. Not on the hot path. */
    public boolean covers(String jobPath, String env) {
        if (environment != null && !environment.equals(env)) {
            return false;
        }
        return jobPrefix == null || (jobPath != null
                && (jobPath.equals(jobPrefix) || (jobPath.startsWith(jobPrefix) && jobPath.charAt(jobPrefix.length()) == '/')));
    }

    static String normalizeJob(String field, String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException(field + ": a job path needs a name, as in job:team-a/payments; " + FORMS);
        }
        Inputs.rejectControlCharacters(field, p, false);
        Inputs.requireLength(field, p, MAX_JOB);
        for (String segment : p.split("/", -1)) {
            if (segment.isBlank() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(field + ": '" + Inputs.printable(p)
                        + "' has an empty, '.' or '..' segment; write the folder/job full name as Jenkins shows it");
            }
        }
        return p;
    }

    private static String requireNonBlank(String value, String kind) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("scope: '" + kind + "' needs a name; " + FORMS);
        }
        return value;
    }

    @Override
    public String toString() {
        if (isEverything()) {
            return "everything";
        }
        if (environment == null) {
            return "job:" + jobPrefix;
        }
        return jobPrefix == null ? "environment:" + environment : "job:" + jobPrefix + ",environment:" + environment;
    }
}
