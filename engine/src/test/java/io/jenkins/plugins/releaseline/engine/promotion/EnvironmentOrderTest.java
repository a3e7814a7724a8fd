package io.jenkins.plugins.releaseline.engine.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentOrderTest {

    static Environment env(String name, String from) {
        return new Environment(name, from, Duration.ZERO, ApprovalRule.NONE, true, LockPolicy.WAIT, List.of());
    }

    @Test
    void theDefaultLineMapsBranchesToEnvironments() {
        EnvironmentOrder order = EnvironmentOrder.defaults();
        assertThat(order.names()).containsExactly("integration", "staging", "prod");
        assertThat(order.require("integration").allowsBranch("integration")).isTrue();
        assertThat(order.require("integration").allowsBranch("main")).isFalse();
        assertThat(order.require("staging").allowsBranch("main")).isTrue();
        assertThat(order.require("prod").allowsBranch("release/1.4")).isTrue();
        assertThat(order.require("prod").allowsBranch("main")).isFalse();
        assertThat(order.require("prod").soak()).isEqualTo(Duration.ofHours(1));
        assertThat(order.require("prod").approvals().separationOfDuties()).isTrue();
    }

    @Test
    void anyNamesAndCountWork() {
        EnvironmentOrder order = EnvironmentOrder.of(List.of(env("dev", null), env("qa", "dev"), env("eu-prod", "qa"), env("us-prod", "eu-prod")));
        assertThat(order.toString()).isEqualTo("dev -> qa -> eu-prod -> us-prod");
    }

    @Test
    void anUnknownEnvironmentIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("integration", null), env("staging", "integraton"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environments: 'staging' promotes from 'integraton', which is not defined; defined are integration, staging");
        assertThatThrownBy(() -> EnvironmentOrder.defaults().require("qa"))
                .hasMessage("to: unknown environment 'qa'; the line has integration, staging, prod");
    }

    @Test
    void aCycleIsShownStepByStep() {
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("a", "c"), env("b", "a"), env("c", "b"))))
                .hasMessage("environments: a cycle: a promotes from c promotes from b promotes from a; one environment must promote from none and start the line");
    }

    @Test
    void aGapIsRefusedWithTheFix() {
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("integration", null), env("staging", "integration"), env("prod", "integration"))))
                .hasMessage("environments: a gap: 'prod' promotes from 'integration' but comes right after 'staging'; every environment "
                        + "promotes from the one listed just before it (set its promotesFrom to 'staging', or reorder the list)");
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("integration", null), env("prod", null))))
                .hasMessageStartingWith("environments: a gap: 'prod' promotes from no environment but comes after 'integration'");
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("staging", "integration"), env("integration", null))))
                .hasMessage("environments: the first environment 'staging' promotes from 'integration'; the first in the order must "
                        + "promote from none (list 'integration' before it)");
    }

    @Test
    void duplicatesEmptyAndSelfReferencesAreRefused() {
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("a", null), env("a", "a"))))
                .hasMessage("promotesFrom: environment 'a' cannot promote from itself");
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of(env("a", null), env("a", null))))
                .hasMessage("environments: 'a' is defined twice; give each environment a unique name");
        assertThatThrownBy(() -> EnvironmentOrder.of(List.of())).hasMessage("environments: the list is empty; define at least one environment");
        assertThatThrownBy(() -> env("prod/eu", null)).hasMessageStartingWith("environment: 'prod/eu' may hold only letters");
        assertThatThrownBy(() -> new Environment("dev", null, Duration.ofHours(1), null, true, null, null))
                .hasMessageStartingWith("soak: 'dev' promotes from no environment");
    }

    @Test
    void theOrderSurvivesItsJsonForm() {
        EnvironmentOrder order = EnvironmentOrder.defaults();
        assertThat(PromotionJson.order(PromotionJson.order(order))).isEqualTo(order);
        EnvironmentOrder withPromoters = EnvironmentOrder.of(List.of(Environment.first("dev").withPromoters("alice", "ops")
                .withLock(true, LockPolicy.REFUSE)));
        assertThat(PromotionJson.order(PromotionJson.order(withPromoters))).isEqualTo(withPromoters);
        assertThat(withPromoters.require("dev").allowsPromoter(Actor.user("bob", "ops"))).isTrue();
        assertThat(withPromoters.require("dev").allowsPromoter(Actor.user("bob", "dev"))).isFalse();
    }

    @Test
    void approvalRulesCountDistinctAllowedApprovers() {
        ApprovalRule rule = ApprovalRule.of(2, java.util.Set.of("alice"), java.util.Set.of("ops"), true);
        assertThat(rule.allows(Actor.user("alice"))).isTrue();
        assertThat(rule.allows(Actor.user("bob", "ops"))).isTrue();
        assertThat(rule.allows(Actor.user("bob", "dev"))).isFalse();
        assertThat(ApprovalRule.NONE.allows(Actor.user("anyone"))).isTrue();
        assertThatThrownBy(() -> ApprovalRule.of(3, java.util.Set.of("alice", "bob"), java.util.Set.of(), false))
                .hasMessage("approvals: 3 approvals are required but only 2 approvers are listed (alice, bob); list more or require fewer");
    }
}
