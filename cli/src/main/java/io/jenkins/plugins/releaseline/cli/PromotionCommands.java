package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Approval;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentDiff;
import io.jenkins.plugins.releaseline.engine.promotion.Evaluation;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.PendingApproval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release-line promote|approve|status|diff|rollback}: the promotion gates from a terminal. */
final class PromotionCommands {

    private PromotionCommands() {}

    static void printVerdicts(PrintWriter out, Evaluation evaluation) {
        for (GateVerdict v : evaluation.verdicts()) {
            out.printf("  %-5s %-22s %s%n", v.verdict(), v.gate(), v.reason());
        }
    }

    /** A driver's request as a terminal gives it: no job, no build link, no groups. */
    static PromotionDriver.State spec(String environment, String principal, PromotionDriver.Deploy deploy) {
        PromotionDriver.State s = new PromotionDriver.State();
        s.environment = environment;
        s.requestedBy = principal;
        s.deploy = deploy;
        return s;
    }

    /** How the driver ended; an interrupt (Ctrl-C) that stopped it ends the command as interrupted. */
    static PromotionDriver.Outcome outcome(Next end, PromotionDriver.State st) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(end.why());
        }
        return st.outcome == null ? PromotionDriver.Outcome.FAILED : st.outcome;
    }

    static Map<String, Object> doc(Promotion p, Evaluation e, String outcome) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("outcome", outcome);
        doc.put("promotion", p);
        doc.put("verdicts", e == null ? List.of() : e.verdicts());
        return doc;
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Promote an artifact to an environment: every gate's verdict is printed; all pass, and the promotion is "
                    + "recorded as deployed (or, with --start-only, left deploying with the deploy lock held until --finish).",
                    "Exit 2 when a gate refuses (or still waits without --wait, or --timeout passes)."})
    static final class Promote extends StoreCommand {
        @Option(names = "--to", paramLabel = "ENV", description = "The environment to promote to.")
        String environment;

        @Option(names = "--artifact", description = "What is promoted, e.g. app.")
        String artifact;

        @Option(names = "--artifact-version", paramLabel = "VERSION", description = "Its version, e.g. 1.4.2.")
        String version;

        @Option(names = "--digest", description = "Its content digest: sha256:<64 hex digits>.")
        String digest;

        @Option(names = "--branch", description = "The branch it was built from (checked against the environment's branches).")
        String branch;

        @Option(names = "--job", description = "The job or pipeline that promotes (checked against freezes on jobs).")
        String job;

        @Option(names = "--build-link", paramLabel = "URL", description = "The build's URL, kept in the ledger.")
        String buildLink;

        @Option(names = "--wait", description = "Wait for waiting gates (soak time, approvals, a freeze, the deploy lock), showing the time left.")
        boolean waitForGates;

        @Option(names = "--timeout", defaultValue = "30m", description = "With --wait: give up (exit 2) after this long (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Option(names = "--poll", defaultValue = "5s", hidden = true)
        String poll;

        @Option(names = "--start-only", description = "Leave the promotion deploying (deploy lock held); record the outcome later with --finish.")
        boolean startOnly;

        @Option(names = "--finish", paramLabel = "ID", description = "Record the outcome of promotion ID started with --start-only.")
        Long finish;

        @Option(names = "--failed", description = "With --finish: the deployment failed.")
        boolean failed;

        @Option(names = "--comment", description = "A note for the ledger.")
        String comment;

        @Override
        int run(Engines e) throws InterruptedException {
            PromotionEngine engine = e.promotions();
            if (finish != null) {
                Promotion p = engine.finish(finish, !failed, principal(), comment);
                if (json()) {
                    json(doc(p, null, p.status().name()));
                } else {
                    out().println("promotion " + p.id() + ": " + p.artifact() + " in " + p.environment() + " is " + p.status());
                }
                return ExitCode.OK;
            }
            require("--to", environment);
            require("--artifact", artifact);
            require("--artifact-version", version);
            require("--digest", digest);
            Artifact.of(artifact, version, digest);
            Duration limit = Durations.parse("--timeout", timeout);
            Duration pollEvery = Durations.parse("--poll", poll);
            PromotionDriver.State spec = spec(environment, principal(), startOnly ? PromotionDriver.Deploy.LATER : PromotionDriver.Deploy.AT_ONCE);
            spec.artifact = artifact;
            spec.version = version;
            spec.digest = digest;
            spec.branch = branch;
            spec.jobPath = job;
            spec.buildLink = buildLink;
            spec.reason = comment;
            spec.waitForGates = waitForGates;
            spec.timeoutMillis = limit.toMillis();
            spec.pollMillis = pollEvery.toMillis();
            PromotionDriver driver = PromotionDriver.create(e.store(), engine, "cli-" + UUID.randomUUID(), spec, e.clock().instant());
            Progress progress = new Progress(driver, e);
            Next end = DriveLoop.untilDone(driver, e.clock(), DriveLoop.THREAD_SLEEPER, DriveLoop.NO_BODY, progress, Duration.ZERO);
            PromotionDriver.State st = driver.state();
            Evaluation ev = st.promotionId == 0 ? null : new Evaluation(engine.promotion(st.promotionId), st.verdicts);
            switch (outcome(end, st)) {
                case DEPLOYED, STARTED -> {
                    Promotion done = ev.promotion();
                    if (json()) {
                        json(doc(done, ev, done.status().name()));
                    } else {
                        printVerdicts(out(), ev);
                        out().println(startOnly
                                ? "promotion " + done.id() + " is deploying; record the outcome with: release-line promote --finish " + done.id()
                                : "promotion " + done.id() + ": " + done.artifact() + " is " + done.status().name().toLowerCase(java.util.Locale.ROOT)
                                        + " in " + done.environment());
                    }
                    return ExitCode.OK;
                }
                case REFUSED -> {
                    if (json()) {
                        json(doc(ev.promotion(), ev, "REFUSED"));
                    } else {
                        printVerdicts(out(), ev);
                    }
                    throw new RefusedException("promotion " + st.promotionId + " to " + environment + ": "
                            + (ev.failed().isEmpty() ? ev.waiting() : ev.failed()).stream().map(GateVerdict::toString)
                            .collect(Collectors.joining("; ")));
                }
                case TIMED_OUT -> {
                    if (json()) {
                        json(doc(ev.promotion(), ev, "TIMED_OUT"));
                    }
                    throw new RefusedException("promotion " + st.promotionId + " still waits after " + Durations.human(limit) + ": "
                            + ev.waiting().stream().map(GateVerdict::toString).collect(Collectors.joining("; ")));
                }
                default -> throw new IllegalArgumentException(end.why());
            }
        }

        /** Prints "promotion N: ..." once requested, and each wait with the time left (the verdicts when they change). */
        private final class Progress implements Consumer<Next> {
            private final PromotionDriver driver;
            private final Engines e;
            private boolean announced;
            private String lastShown;

            Progress(PromotionDriver driver, Engines e) {
                this.driver = driver;
                this.e = e;
            }

            @Override
            public void accept(Next next) {
                if (json()) {
                    return;
                }
                PromotionDriver.State st = driver.state();
                if (!announced && st.promotionId != 0) {
                    announced = true;
                    out().println("promotion " + st.promotionId + ": " + Artifact.of(st.artifact, st.version, st.digest) + " to " + st.environment);
                }
                if (next instanceof Next.Wait) {
                    Evaluation ev = new Evaluation(e.promotions().promotion(st.promotionId), st.verdicts);
                    String shown = ev.waiting().stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
                    if (!shown.equals(lastShown)) {
                        printVerdicts(out(), ev);
                    }
                    Duration left = Duration.between(e.clock().instant(), Instant.ofEpochMilli(st.deadlineMillis));
                    out().println("  waiting (" + Durations.human(left.isNegative() ? Duration.ZERO : left) + " left before giving up): " + shown);
                    lastShown = shown;
                }
            }
        }

        private static void require(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + ": required to promote (or give --finish ID)");
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a promotion that waits for approval.")
    static final class Approve extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The promotion's id.")
        long id;

        @Option(names = "--comment", description = "A note for the ledger.")
        String comment;

        @Option(names = "--group", description = "A group you belong to (for rules that name groups); repeatable.")
        List<String> groups = List.of();

        @Override
        int run(Engines e) {
            List<Approval> approvals = e.promotions().approve(id, Actor.user(principal(), groups.toArray(String[]::new)), comment);
            if (json()) {
                json(approvals);
            } else {
                out().println("promotion " + id + ": " + approvals.size() + " approval(s): "
                        + approvals.stream().map(Approval::approver).collect(Collectors.joining(", ")));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "What runs in each environment; promotions waiting for approval; deploy locks.")
    static final class Status extends StoreCommand {
        @Option(names = "--environment", description = "Only this environment.")
        String environment;

        @Override
        int run(Engines e) {
            PromotionEngine engine = e.promotions();
            Map<String, List<Deployment>> current = new LinkedHashMap<>();
            List<String> names = environment != null ? List.of(engine.environments().require(environment).name()) : engine.environments().names();
            for (String env : names) {
                current.put(env, engine.current(env));
            }
            List<PendingApproval> pending = engine.pendingApprovals();
            if (json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("environments", current);
                doc.put("pendingApprovals", pending);
                doc.put("locks", engine.locks());
                json(doc);
                return ExitCode.OK;
            }
            current.forEach((env, list) -> {
                out().println(env + ":" + (list.isEmpty() ? " (nothing deployed)" : ""));
                for (Deployment d : list) {
                    out().println("  " + d.artifact() + "  since " + d.since() + " by " + d.by() + "  (promotion " + d.promotionId()
                            + (d.rollback() ? ", a rollback" : "") + ")");
                }
            });
            for (PendingApproval a : pending) {
                out().println("waiting for approval: promotion " + a.promotion().id() + " " + a.promotion().artifact() + " to "
                        + a.promotion().environment() + " (" + a.missing() + " more needed)");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What differs between two environments.")
    static final class Diff extends StoreCommand {
        @Parameters(index = "0", paramLabel = "FROM", description = "e.g. staging")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "e.g. prod")
        String to;

        @Override
        int run(Engines e) {
            EnvironmentDiff diff = e.promotions().diff(from, to);
            if (json()) {
                json(diff);
                return ExitCode.OK;
            }
            out().printf("%-24s %-40s %-40s%n", "artifact", from, to);
            for (EnvironmentDiff.Row r : diff.rows()) {
                out().printf("%-24s %-40s %-40s%s%n", r.artifact(), r.inFrom().map(d -> d.artifact().version()).orElse("-"),
                        r.inTo().map(d -> d.artifact().version()).orElse("-"), r.same() ? "" : "  differs");
            }
            for (Promotion p : diff.notYetIn()) {
                out().println("not yet in " + to + ": " + p.artifact());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Re-promote the artifact that ran in the environment before the current one; exit 2 if a gate refuses.")
    static final class Rollback extends StoreCommand {
        @Option(names = "--environment", required = true, description = "Where to roll back.")
        String environment;

        @Option(names = "--artifact", required = true, description = "Which artifact.")
        String artifact;

        @Option(names = "--reason", required = true, description = "Why (in the ledger and the audit trail).")
        String reason;

        @Override
        int run(Engines e) throws InterruptedException {
            PromotionEngine engine = e.promotions();
            PromotionDriver.State spec = spec(environment, principal(), PromotionDriver.Deploy.AT_ONCE);
            spec.rollback = true;
            spec.artifact = artifact;
            spec.reason = reason;
            PromotionDriver driver = PromotionDriver.create(e.store(), engine, "cli-" + UUID.randomUUID(), spec, e.clock().instant());
            Next end = DriveLoop.untilDone(driver, e.clock(), DriveLoop.THREAD_SLEEPER, DriveLoop.NO_BODY, next -> {}, Duration.ZERO);
            PromotionDriver.State st = driver.state();
            PromotionDriver.Outcome outcome = outcome(end, st);
            if (outcome != PromotionDriver.Outcome.DEPLOYED && outcome != PromotionDriver.Outcome.REFUSED) {
                throw new IllegalArgumentException(end.why());
            }
            Evaluation ev = new Evaluation(engine.promotion(st.promotionId), st.verdicts);
            if (outcome == PromotionDriver.Outcome.REFUSED) {
                if (json()) {
                    json(doc(ev.promotion(), ev, "REFUSED"));
                } else {
                    printVerdicts(out(), ev);
                }
                throw new RefusedException("rollback " + st.promotionId + ": " + ev.failed() + ev.waiting());
            }
            Promotion done = ev.promotion();
            if (json()) {
                json(doc(done, ev, done.status().name()));
            } else {
                out().println("rolled back " + environment + " to " + done.artifact() + " (promotion " + done.id() + ")");
            }
            return ExitCode.OK;
        }
    }
}
