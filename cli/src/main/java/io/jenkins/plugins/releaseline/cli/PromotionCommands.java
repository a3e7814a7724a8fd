package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Approval;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalGate;
import io.jenkins.plugins.releaseline.engine.promotion.ApprovalRefusedException;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentDiff;
import io.jenkins.plugins.releaseline.engine.promotion.Evaluation;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.PendingApproval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
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

    /** The ids of the drivers the CLI creates; a promotion driven by Jenkins has another driver, which the CLI leaves alone. */
    static final String DRIVER_PREFIX = "cli-";
    static final String APPROVALS = ApprovalGate.NAME;

    static String lower(PromotionStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The drivers of a promotion that have not ended (normally one), whichever process created them. */
    static List<DriverRecords.Row> drivers(Engines e, long promotionId) {
        return e.store().read(c -> {
            List<String> ids = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM release_line_driver WHERE kind = ? "
                    + "AND phase NOT IN ('DONE', 'FAILED') ORDER BY created_millis")) {
                ps.setString(1, PromotionDriver.KIND);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<DriverRecords.Row> rows = new java.util.ArrayList<>();
            for (String id : ids) {
                DriverRecords.load(c, id).filter(r -> r.document(PromotionDriver.State.class).promotionId == promotionId)
                        .ifPresent(rows::add);
            }
            return rows;
        });
    }

    /**
     * After an answer from this terminal (a rejection, a cancel), the CLI's own drivers of the promotion are advanced
     * once so that their rows end too; a `promote --wait` still running ends the same way at its next look.
     * A driver of Jenkins is only asked to stop (with {@code stopReason}) or left to notice by itself.
     */
    static void endDrivers(Engines e, long promotionId, String stopReason) {
        for (DriverRecords.Row row : drivers(e, promotionId)) {
            PromotionDriver d = new PromotionDriver(e.store(), e.promotions(), row.id());
            if (stopReason != null) {
                d.requestStop(stopReason);
            }
            if (row.id().startsWith(DRIVER_PREFIX)) {
                d.advance(e.clock().instant());
            }
        }
    }

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

        @Option(names = "--resume", paramLabel = "ID", description = "Drive on promotion ID, left waiting by an earlier promote "
                + "(without --wait, or one that was killed): its gates are asked again; with --wait it waits for them.")
        Long resume;

        @Override
        int run(Engines e) throws InterruptedException {
            PromotionEngine engine = e.promotions();
            checkArguments(e);
            if (resume != null) {
                return resume(e);
            }
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
            // The driver may always wait: without --wait, one look at the gates, and a promotion that waits for an
            // approval stays requested, with its driver row, for anyone to approve, reject, cancel or resume.
            spec.waitForGates = true;
            spec.timeoutMillis = limit.toMillis();
            spec.pollMillis = pollEvery.toMillis();
            PromotionDriver driver = PromotionDriver.create(e.store(), engine, DRIVER_PREFIX + UUID.randomUUID(), spec, e.clock().instant());
            return drive(e, driver, limit);
        }

        /** {@code --resume ID}: the CLI's driver of a waiting promotion, its deadline moved to now plus --timeout, driven on. */
        private int resume(Engines e) throws InterruptedException {
            Duration limit = Durations.parse("--timeout", timeout);
            Promotion p = e.promotions().promotion(resume);
            if (p.status() != PromotionStatus.REQUESTED) {
                throw new IllegalArgumentException("--resume: promotion " + p.id() + " is " + lower(p.status())
                        + "; only a waiting promotion can be resumed");
            }
            List<DriverRecords.Row> rows = drivers(e, p.id());
            DriverRecords.Row row = rows.stream().filter(r -> r.id().startsWith(DRIVER_PREFIX)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--resume: promotion " + p.id() + (rows.isEmpty() ? " was not requested by release-line promote"
                            : " is driven by Jenkins (" + rows.get(0).id() + "), which goes on by itself") + "; approve, reject or cancel it"
                            + " here, or in Jenkins"));
            Instant now = e.clock().instant();
            boolean moved = e.store().inTransaction(c -> {
                DriverRecords.Row current = DriverRecords.lock(c, row.id()).orElseThrow();
                PromotionDriver.State st = current.document(PromotionDriver.State.class);
                st.timeoutMillis = limit.toMillis();
                st.deadlineMillis = now.toEpochMilli() + limit.toMillis();
                return DriverRecords.update(c, row.id(), current.version(), current.phase(), st, now);
            });
            if (!moved) {
                throw new IllegalStateException("promotion driver " + row.id() + " changed while it was resumed; try again");
            }
            return drive(e, new PromotionDriver(e.store(), e.promotions(), row.id()), limit);
        }

        /**
         * Drives to the end with --wait; without, one advance: a promotion that then waits for an approval is left
         * waiting (exit 2, saying how to go on), any other wait refuses it as before.
         */
        private int drive(Engines e, PromotionDriver driver, Duration limit) throws InterruptedException {
            PromotionEngine engine = e.promotions();
            Progress progress = new Progress(driver, e);
            Next end;
            if (waitForGates) {
                end = DriveLoop.untilDone(driver, e.clock(), DriveLoop.THREAD_SLEEPER, DriveLoop.NO_BODY, progress, Duration.ZERO);
            } else {
                end = driver.advance(e.clock().instant());
                progress.accept(end);
                if (end instanceof Next.Wait) {
                    PromotionDriver.State st = driver.state();
                    Evaluation ev = new Evaluation(engine.promotion(st.promotionId), st.verdicts);
                    if (ev.waiting().stream().anyMatch(v -> v.gate().equals(APPROVALS))) {
                        return leftWaiting(ev);
                    }
                    engine.begin(st.promotionId, false, principal()); // records it refused, as a wait without --wait is
                    end = driver.advance(e.clock().instant());
                }
            }
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
                    throw new RefusedException("promotion " + st.promotionId + " to " + st.environment + ": "
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
                default -> {
                    Promotion p = st.promotionId == 0 ? null : engine.promotion(st.promotionId);
                    if (p != null && (p.status() == PromotionStatus.CANCELLED || p.status() == PromotionStatus.REJECTED)) {
                        throw new RefusedException("promotion " + p.id() + " was " + lower(p.status())
                                + (p.comment() == null ? "" : ": " + p.comment()));
                    }
                    throw new IllegalArgumentException(end.why());
                }
            }
        }

        /** Without --wait, a promotion waiting for approval: left as it is, with what to do next. */
        private int leftWaiting(Evaluation ev) {
            long id = ev.promotion().id();
            String next = "approve: release-line approve " + id + "; reject: release-line reject " + id + " --comment TEXT;"
                    + " then go on: release-line promote --resume " + id + " [--wait]; give up: release-line cancel " + id + " --reason TEXT";
            if (json()) {
                json(doc(ev.promotion(), ev, "WAITING"));
            } else {
                printVerdicts(out(), ev);
                out().println("promotion " + id + " waits for approval and stays waiting; " + next);
            }
            throw new RefusedException("promotion " + id + " to " + ev.promotion().environment() + " waits: "
                    + ev.waiting().stream().map(GateVerdict::toString).collect(Collectors.joining("; ")) + " (left waiting; " + next + ")");
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
                if (next instanceof Next.Wait && waitForGates) {
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

        /** Every option checked before anything is recorded; each refusal names the option as typed and the fix. */
        private void checkArguments(Engines e) {
            if (resume != null) {
                if (resume < 1) {
                    throw new IllegalArgumentException("--resume: " + resume + " is not a promotion id; 'release-line status' lists those waiting");
                }
                for (String[] given : new String[][] {{"--to", environment}, {"--artifact", artifact},
                        {"--artifact-version", version}, {"--digest", digest}, {"--branch", branch}, {"--job", job},
                        {"--build-link", buildLink}, {"--comment", comment}, {"--finish", finish == null ? null : "x"}}) {
                    if (given[1] != null) {
                        throw new IllegalArgumentException(given[0] + ": not with --resume, which drives on a promotion already"
                                + " requested; leave " + given[0] + " out");
                    }
                }
                if (startOnly || failed) {
                    throw new IllegalArgumentException((startOnly ? "--start-only" : "--failed") + ": not with --resume; leave it out");
                }
                Duration limit = Durations.parse("--timeout", timeout);
                if (limit.isZero() || limit.isNegative()) {
                    throw new IllegalArgumentException("--timeout: '" + timeout + "' is not a positive duration; give e.g. --timeout 30m");
                }
                return;
            }
            if (finish != null) {
                if (finish < 1) {
                    throw new IllegalArgumentException("--finish: " + finish + " is not a promotion id; give the id that"
                            + " 'promote --start-only' printed");
                }
                for (String[] given : new String[][] {{"--to", environment}, {"--artifact", artifact},
                        {"--artifact-version", version}, {"--digest", digest}, {"--branch", branch}, {"--job", job},
                        {"--build-link", buildLink}}) {
                    if (given[1] != null) {
                        throw new IllegalArgumentException(given[0] + ": not with --finish, which records the outcome of a"
                                + " promotion already requested; leave " + given[0] + " out");
                    }
                }
                if (startOnly || waitForGates) {
                    throw new IllegalArgumentException((startOnly ? "--start-only" : "--wait") + ": not with --finish; leave it out");
                }
                return;
            }
            if (failed) {
                throw new IllegalArgumentException("--failed: only with --finish ID, to record that a deployment started with"
                        + " --start-only failed; leave --failed out, or give --finish ID");
            }
            for (String[] given : new String[][] {{"--branch", branch}, {"--job", job}, {"--build-link", buildLink},
                    {"--comment", comment}}) {
                if (given[1] != null && given[1].isBlank()) {
                    throw new IllegalArgumentException(given[0] + ": must not be empty; give a value or leave " + given[0] + " out");
                }
            }
            require("--to", environment);
            require("--artifact", artifact);
            require("--artifact-version", version);
            require("--digest", digest);
            CliInputs.requireEnvironment(e, "--to", environment, null);
            Duration limit = Durations.parse("--timeout", timeout);
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("--timeout: '" + timeout + "' is not a positive duration; give e.g. --timeout 30m");
            }
            Duration every = Durations.parse("--poll", poll);
            if (every.isZero() || every.isNegative()) {
                throw new IllegalArgumentException("--poll: '" + poll + "' is not a positive duration; give e.g. --poll 5s");
            }
            CliInputs.option("--digest", "digest", () -> CliInputs.option("--artifact", "artifact",
                    () -> CliInputs.option("--artifact-version", "version", () -> Artifact.of(artifact, version, digest))));
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
            if (id < 1) {
                throw new IllegalArgumentException("ID: " + id + " is not a promotion id; 'release-line status' lists those waiting");
            }
            List<Approval> approvals;
            try {
                approvals = e.promotions().approve(id, Actor.user(principal(), groups.toArray(String[]::new)), comment);
            } catch (ApprovalRefusedException refused) {
                throw new RefusedException(refused.getMessage());
            }
            if (json()) {
                json(approvals);
            } else {
                out().println("promotion " + id + ": " + approvals.size() + " approval(s): "
                        + approvals.stream().map(Approval::approver).collect(Collectors.joining(", ")));
                if (e.promotions().pendingApprovals().stream().noneMatch(pa -> pa.promotion().id() == id)) {
                    out().println("promotion " + id + " needs no more approvals: a waiting 'promote --wait' goes on by itself;"
                            + " otherwise: release-line promote --resume " + id);
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a promotion that waits for approval (an approver's no, with a comment): it ends refused.")
    static final class Reject extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The promotion's id.")
        long id;

        @Option(names = "--comment", required = true, description = "Why (in the ledger; the waiting promotion fails with it).")
        String comment;

        @Option(names = "--group", description = "A group you belong to (for rules that name groups); repeatable.")
        List<String> groups = List.of();

        @Override
        int run(Engines e) {
            if (id < 1) {
                throw new IllegalArgumentException("ID: " + id + " is not a promotion id; 'release-line status' lists those waiting");
            }
            if (comment.isBlank()) {
                throw new IllegalArgumentException("--comment: must not be empty; say why, e.g. --comment \"no release on Friday\"");
            }
            Promotion p;
            try {
                p = e.promotions().reject(id, Actor.user(principal(), groups.toArray(String[]::new)), comment);
            } catch (ApprovalRefusedException refused) {
                throw new RefusedException(refused.getMessage());
            }
            endDrivers(e, id, null);
            if (json()) {
                json(p);
            } else {
                out().println("promotion " + p.id() + ": " + p.artifact() + " to " + p.environment() + " is rejected by " + principal());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Give up a promotion that waits (for an approval, soak time, a freeze, the deploy lock), e.g. one whose"
                    + " 'promote --wait' was killed; its place in the deploy lock's queue is freed.")
    static final class Cancel extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The promotion's id.")
        long id;

        @Option(names = "--reason", required = true, description = "Why (in the ledger and the audit trail).")
        String reason;

        @Override
        int run(Engines e) {
            if (id < 1) {
                throw new IllegalArgumentException("ID: " + id + " is not a promotion id; 'release-line status' lists those waiting");
            }
            if (reason.isBlank()) {
                throw new IllegalArgumentException("--reason: must not be empty; say why, e.g. --reason \"superseded by 1.4.3\"");
            }
            Promotion before = e.promotions().promotion(id);
            if (before.status() == PromotionStatus.DEPLOYING) {
                throw new IllegalArgumentException("promotion " + id + " is deploying, not waiting; record its outcome instead:"
                        + " release-line promote --finish " + id + " [--failed]");
            }
            if (before.status() != PromotionStatus.REQUESTED) {
                throw new IllegalArgumentException("promotion " + id + " is already " + lower(before.status()) + "; nothing to cancel");
            }
            Promotion p = e.promotions().cancel(id, principal(), reason);
            endDrivers(e, id, "cancelled by " + principal() + ": " + reason);
            if (json()) {
                json(p);
            } else {
                out().println("promotion " + p.id() + ": " + p.artifact() + " to " + p.environment() + " is cancelled");
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
            if (environment != null) {
                CliInputs.requireEnvironment(e, "--environment", environment, null);
            }
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
            CliInputs.requireEnvironment(e, "FROM", from, null);
            CliInputs.requireEnvironment(e, "TO", to, null);
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
            CliInputs.requireEnvironment(e, "--environment", environment, null);
            if (artifact.isBlank()) {
                throw new IllegalArgumentException("--artifact: must not be empty; give the artifact to roll back, e.g. --artifact shop");
            }
            if (reason.isBlank()) {
                throw new IllegalArgumentException("--reason: must not be empty; say why, e.g. --reason \"1.4.2 is slow\"");
            }
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
