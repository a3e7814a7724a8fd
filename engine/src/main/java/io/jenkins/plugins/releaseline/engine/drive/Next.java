package io.jenkins.plugins.releaseline.engine.drive;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a driver wants after one {@code advance}: its caller (the plugin's Timer task, the CLI's loop) does exactly
 * this and nothing else. Every variant says why, for the build log and the pages.
 */
public sealed interface Next {

    /** A short text for the log and the page. */
    String why();

    /** Nothing to do before {@code until}; call {@code advance} again then (or earlier, when woken). */
    record Wait(Instant until, String why) implements Next {
        public Wait {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(why, "why");
        }

        /** How long from {@code now} until the next call, never negative. */
        public Duration from(Instant now) {
            Duration d = Duration.between(now, until);
            return d.isNegative() ? Duration.ZERO : d;
        }
    }

    /**
     * Run the pipeline's body once with {@code environment} (a deploy block, or a router block that sets weights),
     * then report its end with the driver's {@code bodyFinished(bodyId, ...)} and call {@code advance} again. The
     * driver recorded that it asked for this body before returning, so asking again after a crash returns the same
     * {@code bodyId}: a caller that already started that body must not start it twice.
     */
    record RunBody(String bodyId, String purpose, Map<String, String> environment, String why) implements Next {
        public RunBody {
            Objects.requireNonNull(bodyId, "bodyId");
            Objects.requireNonNull(purpose, "purpose");
            environment = Map.copyOf(environment);
            Objects.requireNonNull(why, "why");
        }
    }

    /** The body {@code bodyId} runs; nothing is due until it ends. */
    record AwaitBody(String bodyId, String why) implements Next {
        public AwaitBody {
            Objects.requireNonNull(bodyId, "bodyId");
            Objects.requireNonNull(why, "why");
        }
    }

    /** Finished as asked; {@code result} is the step's return value (may be null). */
    record Done(String result, String why) implements Next {
        public Done {
            Objects.requireNonNull(why, "why");
        }
    }

    /** Ended without doing what was asked; {@code why} says what happened and what state it left. */
    record Failed(String why) implements Next {
        public Failed {
            Objects.requireNonNull(why, "why");
        }
    }

    /** Whether the operation has ended (done or failed). */
    default boolean terminal() {
        return this instanceof Done || this instanceof Failed;
    }
}
