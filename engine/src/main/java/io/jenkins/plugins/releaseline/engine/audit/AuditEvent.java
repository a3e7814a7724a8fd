package io.jenkins.plugins.releaseline.engine.audit;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A state change to record: what was done ({@code andon.pull}, {@code promotion.approve}, ...), to what, why,
 * and the state before and after (JSON, or {@code null} where there was none).
 */
public record AuditEvent(String action, AuditScope scope, String reason, String before, String after) {

    public static final int MAX_STATE = 100_000;
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

    public AuditEvent {
        if (action == null || !ACTION.matcher(action).matches() || action.length() > 100) {
            throw new IllegalArgumentException("action: '" + (action == null ? "" : Inputs.printable(action))
                    + "' must be dotted lower-case words such as 'andon.pull' (at most 100 characters)");
        }
        Objects.requireNonNull(scope, "scope");
        reason = Inputs.reason(reason, false);
        Inputs.requireLength("before", before, MAX_STATE);
        Inputs.requireLength("after", after, MAX_STATE);
    }

    public static AuditEvent of(String action, AuditScope scope, String reason) {
        return new AuditEvent(action, scope, reason, null, null);
    }
}
