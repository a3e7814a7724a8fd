package io.jenkins.plugins.releaseline.toggles;

import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.model.Result;
import java.io.File;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A body started by withFeatureToggle carries on after a restart, and the toggle is not evaluated twice. */
class WithFeatureToggleRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void theBodyCarriesOnAcrossARestart() throws Throwable {
        sessions.then(r -> {
            FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
            config.setEnvironments("staging, prod");
            config.setToggles(List.of(new ToggleDefinitionSpec("new-checkout")));
            config.applyToStore("test");
            ToggleService.get().toggles().set("test", "new-checkout", "staging", true, null, null);
            File gate = new File(r.jenkins.getRootDir(), "go-on");
            WorkflowJob p = r.createProject(WorkflowJob.class, "toggled");
            p.setDefinition(new CpsFlowDefinition(
                    "withFeatureToggle(key: 'new-checkout', environment: 'staging') {\n"
                            + "  echo 'body started'\n"
                            + "  waitUntil(initialRecurrencePeriod: 250, quiet: true) { new File('"
                            + gate.getAbsolutePath().replace("\\", "/") + "').exists() }\n"
                            + "  echo 'body finished'\n"
                            + "}\n",
                    false));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("body started", b);
        });
        sessions.then(r -> {
            WorkflowRun b =
                    r.jenkins.getItemByFullName("toggled", WorkflowJob.class).getBuildByNumber(1);
            new FilePath(new File(r.jenkins.getRootDir(), "go-on")).touch(System.currentTimeMillis());
            r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
            r.assertLogContains("body finished", b);
            String log = String.join("\n", b.getLog(Integer.MAX_VALUE));
            assertTrue(
                    log.indexOf("Feature toggle new-checkout") == log.lastIndexOf("Feature toggle new-checkout"),
                    "the toggle was evaluated once:\n" + log);
        });
    }
}
