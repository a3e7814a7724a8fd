package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One stage of the line and its rules.
 *
 * @param name          what people call it: integration, staging, prod, eu-prod...
 * @param promotesFrom  the environment an artifact must have succeeded in first; {@code null} for the first
 * @param soak          how long the digest must have run in {@code promotesFrom} before it may come here
 * @param approvals     who must approve, and whether the build's starter may
 * @param deployLock    one deployment at a time
 * @param lockPolicy    whether a second deployment waits for the lock or is refused
 * @param branches      the branches allowed to deploy here (globs); empty allows every branch
 * @param promoters     who may promote here (user ids or groups of the build's starter); empty allows everyone
 *                      allowed to promote the job
 */
public record Environment(String name, String promotesFrom, Duration soak, ApprovalRule approvals, boolean deployLock,
                          LockPolicy lockPolicy, List<BranchPattern> branches, Set<String> promoters) {

    public static final int MAX_NAME = 100;
    public static final Duration MAX_SOAK = Duration.ofDays(90);

    public Environment {
        name = Inputs.requireName("environment", name, MAX_NAME);
        if (promotesFrom != null && promotesFrom.isBlank()) {
            promotesFrom = null;
        }
        if (promotesFrom != null) {
            Inputs.requireName("promotesFrom", promotesFrom, MAX_NAME);
            if (promotesFrom.equals(name)) {
                throw new IllegalArgumentException("promotesFrom: environment '" + name + "' cannot promote from itself");
            }
        }
        soak = soak == null ? Duration.ZERO : soak;
        if (soak.isNegative() || soak.compareTo(MAX_SOAK) > 0) {
            throw new IllegalArgumentException("soak: " + soak + " for '" + name + "' is outside 0 to 90 days");
        }
        if (promotesFrom == null && !soak.isZero()) {
            throw new IllegalArgumentException("soak: '" + name + "' promotes from no environment, so it has nothing to soak in; set the soak time on the environment after it");
        }
        approvals = approvals == null ? ApprovalRule.NONE : approvals;
        lockPolicy = lockPolicy == null ? LockPolicy.WAIT : lockPolicy;
        branches = branches == null ? List.of() : List.copyOf(branches);
        java.util.SortedSet<String> who = new java.util.TreeSet<>();
        if (promoters != null) {
            for (String p : promoters) {
                if (p != null && !p.isBlank()) {
                    Inputs.rejectControlCharacters("promoters", p, false);
                    who.add(Inputs.requireLength("promoters", p.strip(), Inputs.MAX_PRINCIPAL));
                }
            }
        }
        promoters = java.util.Collections.unmodifiableSortedSet(who);
    }

    /** An environment anyone allowed to promote the job may promote to. */
    public Environment(String name, String promotesFrom, Duration soak, ApprovalRule approvals, boolean deployLock,
                       LockPolicy lockPolicy, List<BranchPattern> branches) {
        this(name, promotesFrom, soak, approvals, deployLock, lockPolicy, branches, Set.of());
    }

    /** The first environment of a line: no previous one, no soak. */
    public static Environment first(String name, String... branches) {
        return new Environment(name, null, Duration.ZERO, ApprovalRule.NONE, true, LockPolicy.WAIT, patterns(branches));
    }

    public static Environment after(String previous, String name, Duration soak, ApprovalRule approvals, String... branches) {
        return new Environment(name, Objects.requireNonNull(previous, "previous"), soak, approvals, true, LockPolicy.WAIT, patterns(branches));
    }

    public Environment withLock(boolean lock, LockPolicy policy) {
        return new Environment(name, promotesFrom, soak, approvals, lock, policy, branches, promoters);
    }

    public Environment withApprovals(ApprovalRule rule) {
        return new Environment(name, promotesFrom, soak, rule, deployLock, lockPolicy, branches, promoters);
    }

    public Environment withBranches(String... globs) {
        return new Environment(name, promotesFrom, soak, approvals, deployLock, lockPolicy, patterns(globs), promoters);
    }

    public Environment withPromoters(String... userOrGroup) {
        return new Environment(name, promotesFrom, soak, approvals, deployLock, lockPolicy, branches, Set.of(userOrGroup));
    }

    /** Whether {@code actor} (by id or one of its groups) may promote here. */
    public boolean allowsPromoter(Actor actor) {
        return promoters.isEmpty() || promoters.contains(actor.id()) || actor.groups().stream().anyMatch(promoters::contains);
    }

    /** Whether {@code branch} may deploy here. A promotion that names no branch passes only where every branch may. */
    public boolean allowsBranch(String branch) {
        return branches.isEmpty() || branches.stream().anyMatch(p -> p.matches(branch));
    }

    static List<BranchPattern> patterns(String... globs) {
        return java.util.Arrays.stream(globs).map(BranchPattern::new).toList();
    }
}
