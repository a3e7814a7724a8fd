package io.jenkins.plugins.releaseline.toggles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExport;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class FeatureToggleStepsTest {

    private JenkinsRule j;

    @BeforeEach
    void defineToggles(JenkinsRule j) {
        this.j = j;
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        config.setEnvironments("staging, prod");
        ToggleDefinitionSpec checkout = new ToggleDefinitionSpec("new-checkout");
        checkout.setDescription("The one-page checkout");
        checkout.setOwner("team-checkout");
        config.setToggles(List.of(checkout));
        config.applyToStore("test");
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.buildAndAssertStatus(expected, p);
    }

    @Test
    void setFeatureToggleTurnsItOnWithAPercentageAndIsAudited() throws Exception {
        WorkflowRun b = run(
                "setFeatureToggle(key: 'new-checkout', environment: 'prod', enabled: true, percentage: 25)",
                Result.SUCCESS);
        j.assertLogContains("Feature toggle new-checkout in prod: on, served to 25% of targeting keys", b);
        FeatureToggles engine = ToggleService.get().toggles();
        EnvironmentSetting prod = engine.toggle("new-checkout").orElseThrow().setting("prod");
        assertTrue(prod.enabled());
        assertEquals(25.0, prod.percentServed("on"));
        assertEquals("toggle.rollout", engine.history("new-checkout", 1).get(0).action());
        assertTrue(engine.history("new-checkout", 1).get(0).reason().contains(b.getFullDisplayName()));
    }

    @Test
    void featureToggleReturnsTheValueForTheContext() throws Exception {
        ToggleService.get().toggles().set("test", "new-checkout", "staging", true, null, null);
        WorkflowRun b = run("""
                def on = featureToggle(key: 'new-checkout', environment: 'staging', context: [targetingKey: 'user-1', plan: 'pro'])
                def off = featureToggle(key: 'new-checkout', environment: 'prod', context: [targetingKey: 'user-1'])
                def unknown = featureToggle(key: 'no-such-toggle', environment: 'prod', defaultValue: true)
                echo "on=${on} off=${off} unknown=${unknown}"
                """, Result.SUCCESS);
        j.assertLogContains("on=true off=false unknown=true", b);
        j.assertLogContains("toggle 'no-such-toggle' is not defined; using the default true", b);
    }

    @Test
    void withFeatureToggleRunsTheBodyOnlyWhereOnAndSaysWhenItSkips() throws Exception {
        ToggleService.get().toggles().set("test", "new-checkout", "staging", true, null, null);
        WorkflowRun b = run("""
                withFeatureToggle(key: 'new-checkout', environment: 'staging') { echo 'staging body ran' }
                withFeatureToggle(key: 'new-checkout', environment: 'prod') { echo 'prod body ran' }
                """, Result.SUCCESS);
        j.assertLogContains("staging body ran", b);
        j.assertLogNotContains("prod body ran", b);
        j.assertLogContains("Skipping the block: feature toggle new-checkout is not on in prod", b);
    }

    @Test
    void configureFeatureToggleSetsRulesAndAnAbSplit() throws Exception {
        ToggleDefinitionSpec ab = new ToggleDefinitionSpec("checkout-ab");
        ab.setType("STRING");
        ab.setVariants(List.of(new VariantSpec("control", "blue"), new VariantSpec("treatment", "green")));
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        config.setToggles(List.of(config.getToggles().get(0), ab));
        config.applyToStore("test");
        WorkflowRun b = run("""
                def plan = 'beta-tester'
                configureFeatureToggle(key: 'checkout-ab', environment: 'prod', enabled: true, defaultVariant: 'control',
                    rules: [[attribute: 'plan', operator: 'EQUALS', values: ["${plan}"], variant: 'treatment']],
                    percentage: 100, split: [control: 50, treatment: 50])
                echo "beta=${featureToggle(key: 'checkout-ab', environment: 'prod', context: [targetingKey: 'u1', plan: 'beta-tester'])}"
                """, Result.SUCCESS);
        j.assertLogContains("beta=green", b);
        WorkflowRun bad = run(
                "configureFeatureToggle(key: 'checkout-ab', environment: 'prod', split: [control: 60, treatment: 50])",
                Result.FAILURE);
        j.assertLogContains("split: the variant weights sum to 110; they must sum to 100", bad);
    }

    @Test
    void badInputFailsTheBuildWithTheFieldNamedAndChangesNothing() throws Exception {
        FeatureToggles engine = ToggleService.get().toggles();
        int before = engine.history("new-checkout", 100).size();
        WorkflowRun pct =
                run("setFeatureToggle(key: 'new-checkout', environment: 'prod', percentage: 150)", Result.FAILURE);
        j.assertLogContains("percentage: 150 is outside 0..100", pct);
        WorkflowRun env =
                run("setFeatureToggle(key: 'new-checkout', environment: 'qa', enabled: true)", Result.FAILURE);
        j.assertLogContains("environment: 'qa' is not defined", env);
        WorkflowRun ctx = run(
                "featureToggle(key: 'new-checkout', environment: 'prod', context: [tags: ['a', 'b']])", Result.FAILURE);
        j.assertLogContains("context.tags:", ctx);
        assertEquals(before, engine.history("new-checkout", 100).size());
        assertFalse(engine.toggle("new-checkout").orElseThrow().setting("prod").enabled());
    }

    @Test
    void writeFeatureTogglesPutsTheExportInTheWorkspace() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "writer");
        p.setDefinition(new CpsFlowDefinition(
                "node { def etag = writeFeatureToggles(environment: 'prod', file: 'deploy/prod.flagd.json'); echo \"etag=${etag}\" }",
                true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        FilePath written = j.jenkins.getWorkspaceFor(p).child("deploy/prod.flagd.json");
        FlagdExport expected = FlagdExport.of(ToggleService.get().toggles().snapshot(), "prod");
        assertEquals(expected.text(), written.readToString());
        j.assertLogContains("etag=" + expected.etag(), b);
    }
}
