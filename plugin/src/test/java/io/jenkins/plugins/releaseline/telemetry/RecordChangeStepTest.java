package io.jenkins.plugins.releaseline.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Result;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class RecordChangeStepTest {

    @Test
    void recordsTheCommitAndRefusesABadTimeWithAMessage(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "app");
        job.setDefinition(new CpsFlowDefinition(
                "releaseLineRecordChange artifact: 'app', digest: 'sha256:" + "a".repeat(64)
                        + "', commit: 'c0ffee', committedAt: '2026-03-02T10:15:30+01:00', hotfix: true",
                true));
        WorkflowRun ok = r.buildAndAssertSuccess(job);
        r.assertLogContains(
                "Release Line: app sha256:" + "a".repeat(64) + " was committed at 2026-03-02T10:15:30+01:00 (hotfix)",
                ok);
        long micros = ReleaseLineStore.get().store().read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                            "SELECT commit_micros FROM release_line_telemetry_change WHERE commit_id = 'c0ffee'");
                    ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertEquals(1772442930L * 1_000_000L, micros);

        job.setDefinition(new CpsFlowDefinition(
                "releaseLineRecordChange artifact: 'app', digest: 'sha256:" + "b".repeat(64)
                        + "', committedAt: 'yesterday'",
                true));
        WorkflowRun bad = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("committedAt: 'yesterday' is not a time", bad);
        r.assertLogNotContains("\tat ", bad);
    }
}
