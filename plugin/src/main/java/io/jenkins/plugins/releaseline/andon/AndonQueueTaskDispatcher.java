package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.QueueTaskDispatcher;
import io.jenkins.plugins.releaseline.engine.andon.Decision;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.WorkKind;
import io.jenkins.plugins.releaseline.engine.andon.WorkScope;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;

/**
 * Holds builds in the queue while a freeze that stops all builds covers their job. Freezes that stop only
 * deployments leave the queue alone: {@code andonCheck} and the build wrapper ask about those. The line
 * job's own builds are never held (the engine leaves them out), so the build that fixes the line can run.
 */
@Extension
public class AndonQueueTaskDispatcher extends QueueTaskDispatcher {

    private static final Logger LOGGER = Logger.getLogger(AndonQueueTaskDispatcher.class.getName());

    @Override
    public CauseOfBlockage canRun(Queue.Item item) {
        if (!(item.task instanceof Job<?, ?> job)) {
            return null;
        }
        // Under the queue's lock: the board held in memory only, never the store. Without a board (the store
        // could not be read since Jenkins started) builds are not held: a dead database must not stop every
        // build of the controller. A board that cannot reach the store any more keeps holding what it held.
        FreezeBoard board = AndonService.get().current();
        if (board == null) {
            return null;
        }
        Decision decision;
        try {
            decision = board.check(WorkScope.job(job.getFullName()), WorkKind.BUILD);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not ask the Andon board about " + job.getFullName(), e);
            return null;
        }
        if (decision.allowed()) {
            return null;
        }
        // counted for the incident timeline off the queue's lock: the first time writes one row
        String work = "queue:" + item.getId();
        Timer.get().submit(() -> board.noteBlocked(decision, work));
        return new AndonBlockage(decision);
    }

    /** Shown in the queue's tooltip: which freeze, who pulled it and why. */
    public static final class AndonBlockage extends CauseOfBlockage {
        private final String message;

        AndonBlockage(Decision decision) {
            this.message = decision.message();
        }

        @Override
        public String getShortDescription() {
            return Messages.Blockage(message);
        }
    }
}
