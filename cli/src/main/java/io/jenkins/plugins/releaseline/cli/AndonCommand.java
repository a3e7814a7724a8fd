package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.andon.Blocker;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.andon.Stops;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release-line andon pull|release|status|history}: stop the line from a terminal. */
@Command(name = "andon", mixinStandardHelpOptions = true, description = "Pull and release the Andon cord; see what is frozen.",
        subcommands = {AndonCommand.Pull.class, AndonCommand.Release.class, AndonCommand.Status.class, AndonCommand.History.class})
final class AndonCommand {

    private AndonCommand() {}

    static String line(Freeze f, Instant now) {
        return String.format("freeze-%d  %-8s %-28s %-26s by %-12s %s  %s%s", f.id(), f.statusAt(now).name().toLowerCase(java.util.Locale.ROOT),
                f.scope(), f.stops().label(), f.pulledBy(), f.pulledAt(), f.reason(),
                f.releasedAt() != null ? "  (released by " + f.releasedBy() + " at " + f.releasedAt() + ")"
                        : f.expiresAt() != null ? "  (expires " + f.expiresAt() + ")" : "");
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull the cord: freeze deployments (or all builds) in a scope.")
    static final class Pull extends StoreCommand {
        @Option(names = "--scope", defaultValue = "everything", paramLabel = "SCOPE",
                description = "everything, job:<folder/job> or environment:<name> (default: ${DEFAULT-VALUE}).")
        String scope;

        @Option(names = "--reason", required = true, description = "Why, shown on every blocked build and in the audit trail.")
        String reason;

        @Option(names = "--stops", defaultValue = "deployments", description = "deployments or all-builds (default: ${DEFAULT-VALUE}).")
        String stops;

        @Option(names = "--link", description = "An incident link.")
        String link;

        @Option(names = "--for", paramLabel = "DURATION", description = "Lift by itself after this long (e.g. PT2H or 2h); default: until released.")
        String expires;

        @Option(names = "--allow-unknown-scope",
                description = "Allow an environment that is not (yet) one of the line's configured environments.")
        boolean allowUnknownScope;

        @Override
        int run(Engines e) {
            FreezeScope parsed = CliInputs.option("--scope", "scope", () -> FreezeScope.parse(scope));
            if (parsed.environment() != null && !allowUnknownScope) {
                CliInputs.requireEnvironment(e, "--scope", parsed.environment(), "--allow-unknown-scope");
            }
            Stops stopsParsed = CliInputs.option("--stops", "stops", () -> Stops.parse(stops));
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("--reason: must not be empty; say why the line stops, e.g. --reason \"INC-42 payments degraded\"");
            }
            PullRequest request = CliInputs.option("--link", "link", () -> PullRequest.of(parsed, reason).withStops(stopsParsed).withLink(link));
            if (expires != null) {
                java.time.Duration d = Durations.parse("--for", expires);
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("--for: '" + expires + "' is not a positive duration; give how long the freeze"
                            + " lasts, e.g. --for 2h, or leave --for out to freeze until released");
                }
                request = request.expiringAt(e.clock().instant().plus(d));
            }
            PullRequest pull = request;
            Freeze f = CliInputs.option("--reason", "reason", () -> CliInputs.option("--link", "link",
                    () -> e.board().pull(principal(), pull)));
            if (json()) {
                json(f);
            } else {
                out().println("pulled freeze-" + f.id() + " on " + f.scope() + " (" + f.stops().label() + "): " + f.reason());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release one freeze; the others stay.")
    static final class Release extends StoreCommand {
        @Parameters(index = "0", paramLabel = "FREEZE", description = "The freeze's id: 12 or freeze-12.")
        String id;

        @Option(names = "--note", description = "What was fixed.")
        String note;

        @Override
        int run(Engines e) {
            String digits = id.startsWith("freeze-") ? id.substring(7) : id;
            long freezeId;
            try {
                freezeId = digits.matches("\\d{1,18}") ? Long.parseLong(digits) : 0;
            } catch (NumberFormatException x) {
                freezeId = 0;
            }
            if (freezeId < 1) {
                throw new IllegalArgumentException("FREEZE: '" + id + "' is not a freeze id such as 12 or freeze-12;"
                        + " 'release-line andon status' lists the active ones");
            }
            Freeze f = e.board().release(principal(), freezeId, note);
            if (json()) {
                json(f);
            } else {
                out().println("released freeze-" + f.id() + " (" + f.scope() + ")" + (note == null ? "" : ": " + note));
                out().println(e.board().isLineStopped() ? "the line is still stopped by " + e.board().activeBlockers().size() + " freeze(s)" : "the line runs");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "What is frozen now. With --environment or --job: whether that deployment may go (exit 2 if it is frozen).")
    static final class Status extends StoreCommand {
        @Option(names = "--environment", description = "Ask about a deployment to this environment.")
        String environment;

        @Option(names = "--job", description = "Ask about this job (folder/job).")
        String job;

        @Option(names = "--allow-unknown-environment",
                description = "With --environment: allow one that is not (yet) one of the line's configured environments.")
        boolean allowUnknownEnvironment;

        @Override
        int run(Engines e) {
            if (environment != null && !allowUnknownEnvironment) {
                CliInputs.requireEnvironment(e, "--environment", environment, "--allow-unknown-environment");
            }
            if (job != null && job.isBlank()) {
                throw new IllegalArgumentException("--job: must not be empty; give a job such as team-a/app, or leave --job out");
            }
            FreezeBoard board = e.board();
            List<Blocker> blockers = board.activeBlockers();
            Decision decision = null;
            if (environment != null || job != null) {
                WorkScope work = CliInputs.option("--job", "job", () -> WorkScope.deployment(job, environment, null));
                decision = board.check(work, WorkKind.DEPLOYMENT);
            }
            if (json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("lineStopped", board.isLineStopped());
                doc.put("blockers", blockers);
                if (decision != null) {
                    doc.put("allowed", decision.allowed());
                    doc.put("message", decision.message());
                }
                json(doc);
            } else {
                if (blockers.isEmpty()) {
                    out().println("the line runs: nothing is frozen");
                }
                for (Blocker b : blockers) {
                    out().println("FROZEN  " + b.describe() + " since " + b.since() + (b.until() == null ? "" : ", until " + b.until()));
                }
                if (decision != null) {
                    out().println(decision.allowed() ? "allowed" : decision.message());
                }
            }
            return decision != null && decision.blocked() ? ExitCode.REFUSED : ExitCode.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The latest freezes, newest first, active or not.")
    static final class History extends StoreCommand {
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(Engines e) {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("--limit: " + limit + " is outside 1..1000; give e.g. --limit 20");
            }
            List<Freeze> freezes = e.board().history(limit);
            if (json()) {
                json(freezes);
            } else {
                Instant now = e.clock().instant();
                freezes.forEach(f -> out().println(line(f, now)));
                if (freezes.isEmpty()) {
                    out().println("no freezes yet");
                }
            }
            return ExitCode.OK;
        }
    }
}
