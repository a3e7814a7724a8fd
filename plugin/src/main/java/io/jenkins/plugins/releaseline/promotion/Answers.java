package io.jenkins.plugins.releaseline.promotion;

import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Approval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Approve and reject on behalf of the user of the current request; the engine decides who may. */
final class Answers {

    private Answers() {}

    /** The current user with the groups the security realm gives it. */
    static Actor currentActor() {
        Authentication auth = Jenkins.getAuthentication2();
        Set<String> groups = new TreeSet<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (a.getAuthority() != null) {
                groups.add(a.getAuthority());
            }
        }
        return new Actor(ActingUser.id(), groups);
    }

    static List<Approval> approve(long promotionId, String comment) {
        List<Approval> approvals = PromotionService.get().engine().approve(promotionId, currentActor(), comment);
        PromotionService.nudgeWaitingSteps();
        return approvals;
    }

    static Promotion reject(long promotionId, String comment) {
        Promotion p = PromotionService.get().engine().reject(promotionId, currentActor(), comment);
        PromotionService.nudgeWaitingSteps();
        return p;
    }

    static boolean mayApprove(Promotion p) {
        return PromotionService.get().engine().mayApprove(p, currentActor());
    }
}
