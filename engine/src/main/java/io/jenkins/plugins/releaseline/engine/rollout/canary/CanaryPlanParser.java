package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the steps of a canary plan from the forms people write.
 *
 * <ul>
 *   <li>Steps: {@code 10% for 5m, 25% for 10m, 50% for 10m, 100%}, or compact {@code 10%/5m, 50%/10m, 100%}.</li>
 *   <li>A rate: {@code +10% every 2m up to 50%} (10, 20, 30, 40, 50%, each held 2 minutes); it may be mixed
 *       with steps.</li>
 *   <li>AWS CodeDeploy names: {@code Canary10Percent5Minutes}, {@code Linear10PercentEvery1Minute},
 *       {@code AllAtOnce} (also with the {@code CodeDeployDefault.Lambda}/{@code ECS} prefix).</li>
 * </ul>
 * A plan that does not end at 100% gets a final 100% step: once the last analysis passes, the canary takes
 * all the traffic. Errors name the step by its position, e.g. {@code step 3: weight 150 is over 100}.
 * Durations are {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or combinations such as {@code 1m30s}.
 */
public final class CanaryPlanParser {

    public static final int MAX_STEPS = 200;

    private static final Pattern STEP = Pattern.compile("(?<w>[+-]?\\d+)\\s*%\\s*(?:(?:/|for\\b)\\s*(?<d>\\S.*))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RATE = Pattern.compile(
            "\\+\\s*(?<w>-?\\d+)\\s*%\\s*every\\s+(?<d>.+?)\\s+up\\s+to\\s+(?<max>-?\\d+)\\s*%", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CANARY_NAME = Pattern.compile(
            "(?:CodeDeployDefault\\.(?:Lambda|ECS))?Canary(\\d+)Percent(\\d+)Minutes?");
    private static final Pattern LINEAR_NAME = Pattern.compile(
            "(?:CodeDeployDefault\\.(?:Lambda|ECS))?Linear(\\d+)PercentEvery(\\d+)Minutes?");
    private static final Set<String> STRUCTURED_KEYS = Set.of("weight", "pause", "rate", "every", "upTo");

    private CanaryPlanParser() {}

    /** The steps of a compact plan or a CodeDeploy-style name. */
    public static List<CanaryStep> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("plan: is empty; write e.g. '10%/5m, 50%/10m, 100%' or 'Canary10Percent5Minutes'");
        }
        Inputs.rejectControlCharacters("plan", text, true);
        Inputs.requireLength("plan", text, 4_000);
        String trimmed = text.strip();
        List<CanaryStep> named = named(trimmed);
        if (named != null) {
            return named;
        }
        List<CanaryStep> steps = new ArrayList<>();
        String[] parts = trimmed.split("[,;\\n]");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String where = "plan: step " + (i + 1) + ": ";
            if (part.isEmpty()) {
                throw new IllegalArgumentException(where + "is empty; remove the extra comma");
            }
            Matcher rate = RATE.matcher(part);
            if (rate.matches()) {
                addRate(steps, where, number(where, rate.group("w")), duration(where, rate.group("d")),
                        number(where, rate.group("max")));
                continue;
            }
            Matcher step = STEP.matcher(part);
            if (!step.matches()) {
                throw new IllegalArgumentException(where + "'" + Inputs.printable(part)
                        + "' is not understood; write '10% for 5m', '10%/5m', '+10% every 2m up to 50%' or '100%'");
            }
            int weight = number(where, step.group("w"));
            Duration pause = step.group("d") == null ? Duration.ZERO : duration(where, step.group("d"));
            add(steps, where, weight, pause);
        }
        return finish(steps);
    }

    /**
     * The structured form: one map per step, {@code [weight: 10, pause: '5m']} or a rate
     * {@code [rate: 10, every: '2m', upTo: 50]}. Weights may be numbers or text such as {@code '10%'};
     * pauses are durations as text, or numbers of seconds.
     */
    public static List<CanaryStep> parseStructured(List<? extends Map<String, ?>> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("plan: has no steps; pass e.g. [[weight: 10, pause: '5m'], [weight: 100]]");
        }
        List<CanaryStep> steps = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "plan: step " + (i + 1) + ": ";
            Map<String, ?> e = entries.get(i);
            if (e == null || e.isEmpty()) {
                throw new IllegalArgumentException(where + "is empty; give weight and pause, or rate, every and upTo");
            }
            for (String key : e.keySet()) {
                if (!STRUCTURED_KEYS.contains(key)) {
                    throw new IllegalArgumentException(where + "unknown key '" + Inputs.printable(String.valueOf(key))
                            + "'; use weight and pause, or rate, every and upTo");
                }
            }
            if (e.containsKey("rate")) {
                if (e.containsKey("weight") || e.containsKey("pause")) {
                    throw new IllegalArgumentException(where + "give either weight and pause, or rate, every and upTo, not both");
                }
                Object every = e.get("every");
                if (every == null || !e.containsKey("upTo")) {
                    throw new IllegalArgumentException(where + "a rate needs 'every' (e.g. '2m') and 'upTo' (e.g. 50)");
                }
                addRate(steps, where, weightOf(where, e.get("rate")), durationOf(where, every), weightOf(where, e.get("upTo")));
            } else {
                if (!e.containsKey("weight")) {
                    throw new IllegalArgumentException(where + "has no weight; give e.g. [weight: 10, pause: '5m']");
                }
                Object pause = e.get("pause");
                add(steps, where, weightOf(where, e.get("weight")), pause == null ? Duration.ZERO : durationOf(where, pause));
            }
        }
        return finish(steps);
    }

    private static List<CanaryStep> named(String text) {
        if (text.equalsIgnoreCase("AllAtOnce") || text.equalsIgnoreCase("CodeDeployDefault.LambdaAllAtOnce")
                || text.equalsIgnoreCase("CodeDeployDefault.ECSAllAtOnce")) {
            return List.of(new CanaryStep(100, Duration.ZERO));
        }
        Matcher c = CANARY_NAME.matcher(text);
        if (c.matches()) {
            String where = "plan: " + text + ": ";
            List<CanaryStep> steps = new ArrayList<>();
            add(steps, where, number(where, c.group(1)), Duration.ofMinutes(number(where, c.group(2))));
            return finish(steps);
        }
        Matcher l = LINEAR_NAME.matcher(text);
        if (l.matches()) {
            String where = "plan: " + text + ": ";
            List<CanaryStep> steps = new ArrayList<>();
            addRate(steps, where, number(where, l.group(1)), Duration.ofMinutes(number(where, l.group(2))), 100);
            return finish(steps);
        }
        return null;
    }

    private static void addRate(List<CanaryStep> steps, String where, int rate, Duration every, int upTo) {
        if (rate < 1 || rate > 100) {
            throw new IllegalArgumentException(where + "rate " + rate + "% must be between 1 and 100");
        }
        checkWeight(where, upTo);
        int start = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).weight();
        if (upTo <= start) {
            throw new IllegalArgumentException(where + "up to " + upTo + "% is not above the previous step's " + start + "%");
        }
        for (int w = start + rate; ; w += rate) {
            int weight = Math.min(w, upTo);
            add(steps, where, weight, weight == 100 ? Duration.ZERO : every);
            if (weight == upTo) {
                return;
            }
        }
    }

    private static void add(List<CanaryStep> steps, String where, int weight, Duration pause) {
        checkWeight(where, weight);
        if (!steps.isEmpty() && steps.get(steps.size() - 1).isFinal()) {
            throw new IllegalArgumentException(where + "comes after 100%; 100% must be the last step");
        }
        if (weight == 100 && !pause.isZero()) {
            throw new IllegalArgumentException(where + "100% ends the rollout and takes no pause; remove '"
                    + formatDuration(pause) + "'");
        }
        if (weight < 100 && pause.isZero()) {
            throw new IllegalArgumentException(where + "weight " + weight + "% needs a pause to analyse, as in '"
                    + weight + "% for 5m' or '" + weight + "%/5m'");
        }
        if (steps.size() >= MAX_STEPS) {
            throw new IllegalArgumentException(where + "the plan has more than " + MAX_STEPS + " steps; use fewer, larger steps");
        }
        steps.add(new CanaryStep(weight, pause));
    }

    private static void checkWeight(String where, int weight) {
        if (weight > 100) {
            throw new IllegalArgumentException(where + "weight " + weight + " is over 100");
        }
        if (weight < 1) {
            throw new IllegalArgumentException(where + "weight " + weight + " must be at least 1 (the canary starts at 0%)");
        }
    }

    private static List<CanaryStep> finish(List<CanaryStep> steps) {
        if (steps.get(steps.size() - 1).weight() != 100) {
            steps.add(new CanaryStep(100, Duration.ZERO));
        }
        return List.copyOf(steps);
    }

    private static int number(String where, String digits) {
        try {
            return Integer.parseInt(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "'" + digits + "' is not a whole number of percent");
        }
    }

    private static int weightOf(String where, Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(where + "weight " + n + " must be a whole number of percent");
            }
            if (d > 100) {
                throw new IllegalArgumentException(where + "weight " + n.longValue() + " is over 100");
            }
            return (int) d;
        }
        if (value instanceof CharSequence s) {
            String t = s.toString().strip();
            t = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
            if (!t.matches("[+-]?\\d{1,9}")) {
                throw new IllegalArgumentException(where + "weight '" + Inputs.printable(s.toString()) + "' is not a whole number of percent");
            }
            return number(where, t);
        }
        throw new IllegalArgumentException(where + "weight " + value + " is not a number of percent");
    }

    private static Duration durationOf(String where, Object value) {
        if (value instanceof Number n) {
            if (n.doubleValue() <= 0 || Double.isNaN(n.doubleValue())) {
                throw new IllegalArgumentException(where + "pause " + n + " must be a positive number of seconds");
            }
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        if (value instanceof CharSequence s) {
            return duration(where, s.toString());
        }
        throw new IllegalArgumentException(where + "pause " + value + " is not a duration such as '5m'");
    }

    /** Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}, {@code 1m30s}; {@code where} prefixes errors. */
    public static Duration duration(String where, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (!t.substring(end, m.start()).isBlank()) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || !t.substring(end).isBlank()) {
            throw new IllegalArgumentException(where + "'" + Inputs.printable(text.strip())
                    + "' is not a duration; write e.g. '30s', '5m', '1h' or '1m30s'");
        }
        if (total.isZero()) {
            throw new IllegalArgumentException(where + "pause '" + text.strip() + "' is zero; give a positive duration");
        }
        if (total.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(where + "pause '" + text.strip() + "' is over 7 days; use a shorter one");
        }
        return total;
    }

    /** The shortest text {@link #duration} reads back to {@code d}. */
    public static String formatDuration(Duration d) {
        if (d.toMillisPart() != 0 || d.isZero()) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder();
        if (d.toHours() > 0) {
            sb.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        return sb.toString();
    }
}
