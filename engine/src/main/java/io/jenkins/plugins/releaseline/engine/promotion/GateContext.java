package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the gates read about one promotion, loaded in one round of queries.
 *
 * @param previousGreen          the latest finished deployment of this digest in the previous environment, if green
 * @param previousLatest         the latest finished deployment of this digest in the previous environment, whatever its outcome
 * @param previousSameVersion    the latest finished deployment of the same version with another digest there
 * @param approvals              approvals recorded for this promotion
 * @param freeze                 the freeze board's answer
 * @param lockHolder             who holds this environment's deploy lock, if anyone
 * @param queuedAhead            older promotions waiting for the lock
 * @param current                what runs here now for this artifact
 * @param currentIsNewer         whether {@code current} entered the line after this digest
 */
public record GateContext(Promotion promotion, Environment environment, Environment previous, Instant now,
                          Optional<Promotion> previousGreen, Optional<Promotion> previousLatest,
                          Optional<Promotion> previousSameVersion, List<Approval> approvals, FreezeCheck.Answer freeze,
                          Optional<LockHolder> lockHolder, int queuedAhead, Optional<Deployment> current,
                          boolean currentIsNewer) {
}
