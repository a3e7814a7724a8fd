package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who must approve a promotion into an environment: {@code required} distinct approvers (N) out of the users and
 * groups listed (M). With no users and no groups listed, anyone allowed to approve in Jenkins may. With
 * separation of duties, the person who started the build cannot approve its promotion.
 */
public record ApprovalRule(int required, Set<String> users, Set<String> groups, boolean separationOfDuties) {

    public static final ApprovalRule NONE = new ApprovalRule(0, Set.of(), Set.of(), false);

    public ApprovalRule {
        if (required < 0 || required > 20) {
            throw new IllegalArgumentException("approvals: " + required + " required approvals is outside 0..20");
        }
        users = clean("approvers", users);
        groups = clean("approverGroups", groups);
        if (required > 0 && !users.isEmpty() && groups.isEmpty() && users.size() < required) {
            throw new IllegalArgumentException("approvals: " + required + " approvals are required but only "
                    + users.size() + " approvers are listed (" + String.join(", ", users) + "); list more or require fewer");
        }
    }

    public static ApprovalRule of(int required, Set<String> users, Set<String> groups, boolean separationOfDuties) {
        return new ApprovalRule(required, users, groups, separationOfDuties);
    }

    public boolean needed() {
        return required > 0;
    }

    /** Whether {@code actor} is among the allowed approvers (by user id or one of its groups). */
    public boolean allows(Actor actor) {
        if (users.isEmpty() && groups.isEmpty()) {
            return true;
        }
        return users.contains(actor.id()) || actor.groups().stream().anyMatch(groups::contains);
    }

    /** The allowed approvers, for messages: "alice, bob or group release-managers". */
    public String describeApprovers() {
        if (users.isEmpty() && groups.isEmpty()) {
            return "anyone with the Approve permission";
        }
        StringBuilder sb = new StringBuilder(String.join(", ", users));
        for (String g : groups) {
            sb.append(sb.length() == 0 ? "" : ", ").append("group ").append(g);
        }
        return sb.toString();
    }

    private static Set<String> clean(String field, Set<String> values) {
        if (values == null) {
            return Set.of();
        }
        java.util.SortedSet<String> out = new TreeSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                continue;
            }
            Inputs.rejectControlCharacters(field, v, false);
            out.add(Inputs.requireLength(field, v.strip(), Inputs.MAX_PRINCIPAL));
        }
        return Collections.unmodifiableSortedSet(out);
    }
}
