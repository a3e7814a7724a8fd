package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Queue;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.andon.Stops;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The queue holds builds of a frozen scope, says why, and never holds the build that fixes the line. */
@WithJenkins
class AndonQueueTest {

    @Test
    void aBuildOfAFrozenJobWaitsInTheQueueWithTheFreezeAsItsCause(JenkinsRule r) throws Exception {
        FreeStyleProject app = r.createFreeStyleProject("app");
        Freeze f = AndonService.get()
                .board()
                .pull(
                        "alice",
                        PullRequest.of(FreezeScope.job("app"), "Repository migration, INC-9")
                                .withStops(Stops.ALL_BUILDS));

        app.scheduleBuild2(0);
        Queue.Item item = waitForBlockedItem(r, app);
        String cause = item.getCauseOfBlockage().getShortDescription();
        assertTrue(cause.startsWith("Andon: Line stopped by freeze-" + f.id()), cause);
        assertTrue(cause.contains("Repository migration, INC-9"), cause);
        assertTrue(cause.contains("pulled by alice"), cause);

        AndonService.get().board().release("alice", f.id(), "done");
        r.waitUntilNoActivityUpTo((int) TimeUnit.MINUTES.toMillis(1));
        assertNotNull(app.getLastBuild(), "the build ran once the freeze was released");
        assertEquals(Result.SUCCESS, app.getLastBuild().getResult());
    }

    @Test
    void aFailingLineJobStopsOtherBuildsButNotItsOwnFix(JenkinsRule r) throws Exception {
        AndonLineJob line = new AndonLineJob("main");
        line.setStops("all-builds");
        AndonConfiguration.get().setLines(List.of(line));
        FreeStyleProject main = r.createFreeStyleProject("main");
        FreeStyleProject other = r.createFreeStyleProject("other");

        main.getBuildersList().add(new FailureBuilder());
        r.buildAndAssertStatus(Result.FAILURE, main);
        assertTrue(AndonService.get().board().isLineStopped());
        assertTrue(AndonService.get().board().activeBlockers().get(0).reason().contains("main#1 failed"));

        other.scheduleBuild2(0);
        Queue.Item held = waitForBlockedItem(r, other);
        assertTrue(held.getCauseOfBlockage().getShortDescription().contains("main#1 failed"));

        main.getBuildersList().clear();
        FreeStyleBuild fix = r.buildAndAssertSuccess(main);
        assertNotNull(fix, "the line's own build was not held");
        r.waitUntilNoActivityUpTo((int) TimeUnit.MINUTES.toMillis(1));
        assertEquals(Result.SUCCESS, other.getLastBuild().getResult(), "released by the fix, the held build ran");
        assertNull(r.jenkins.getQueue().getItem(other));
    }

    private static Queue.Item waitForBlockedItem(JenkinsRule r, FreeStyleProject p) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Queue.Item item = r.jenkins.getQueue().getItem(p);
            if (item != null && item.isBlocked()) {
                return item;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(p.getFullName() + " was not held in the queue");
    }
}
