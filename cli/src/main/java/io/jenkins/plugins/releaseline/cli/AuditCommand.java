package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.audit.AuditPage;
import io.jenkins.plugins.releaseline.engine.audit.AuditQuery;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.audit.VerificationReport;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code release-line audit verify|list}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check and read the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListRecords.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the whole hash chain; name the first record that was edited, inserted or deleted. Exit 1 if any.")
    static final class Verify implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin OutputOptions output;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (Store s = store.open()) {
                VerificationReport report = new AuditTrail(s, Clock.systemUTC()).verify();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    output.printJson(out, report);
                } else {
                    out.println(report);
                }
                return report.intact() ? ExitCode.OK : ExitCode.ERROR;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List records, oldest first, one page at a time.")
    static final class ListRecords implements Callable<Integer> {
        @Mixin StoreOptions store;
        @Mixin OutputOptions output;
        @Spec CommandSpec spec;

        @Option(names = "--scope", description = "global, or <kind>:<name> such as environment:prod or job:team-a.")
        String scope;

        @Option(names = "--nested", description = "With --scope: also what lies below it (job:team-a/...).")
        boolean nested;

        @Option(names = "--from", description = "From this instant, inclusive (ISO-8601, e.g. 2026-11-01T00:00:00Z, or a day: 2026-11-01).")
        String from;

        @Option(names = "--to", description = "Up to this instant, exclusive (same forms as --from).")
        String to;

        @Option(names = "--after", defaultValue = "0", description = "Records after this sequence number (the next page).")
        long after;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-" + AuditQuery.MAX_LIMIT + ").")
        int limit;

        @Override
        public Integer call() {
            Instant fromInstant = instant("--from", from);
            Instant toInstant = instant("--to", to);
            if (fromInstant != null && toInstant != null && !toInstant.isAfter(fromInstant)) {
                throw new IllegalArgumentException("--to: " + to + " is not after --from " + from + "; give a later --to");
            }
            AuditScope parsedScope = scope == null ? null : CliInputs.option("--scope", "scope", () -> AuditScope.parse(scope));
            AuditQuery query = CliInputs.option("--limit", "limit", () -> CliInputs.option("--after", "afterSeq",
                    () -> new AuditQuery(fromInstant, toInstant, parsedScope, nested, after, limit)));
            try (Store s = store.open()) {
                AuditPage page = new AuditTrail(s, Clock.systemUTC()).query(query);
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
                    doc.put("records", page.records());
                    doc.put("next", page.next().isPresent() ? page.next().getAsLong() : null);
                    output.printJson(out, doc);
                    return ExitCode.OK;
                }
                for (AuditRecord r : page.records()) {
                    out.printf("%6d  %s  %-14s %-22s %-28s %s%n", r.seq(), r.at(), r.principal(), r.action(), r.scope(),
                            r.reason() == null ? "" : r.reason().replace('\n', ' '));
                }
                page.next().ifPresent(n -> out.println("more: --after " + n));
                return ExitCode.OK;
            }
        }

        /** An ISO-8601 instant, or a day (its start in UTC); the option named as typed when it is neither. */
        static Instant instant(String option, String text) {
            if (text == null) {
                return null;
            }
            String t = text.strip();
            try {
                return Instant.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (java.time.format.DateTimeParseException e2) {
                    throw new IllegalArgumentException(option + ": '" + text + "' is not an instant; write ISO-8601 such as"
                            + " 2026-11-01T00:00:00Z, or a day such as 2026-11-01 (its start in UTC)");
                }
            }
        }
    }
}
