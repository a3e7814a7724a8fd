package io.jenkins.plugins.releaseline.rollout.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.promotion.EnvironmentConfig;
import io.jenkins.plugins.releaseline.promotion.PromotionConfiguration;
import io.jenkins.plugins.releaseline.promotion.PromotionService;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class LambdaDeployStepTest {

    private LambdaTestEndpoint lambda;

    @BeforeEach
    void start() {
        lambda = new LambdaTestEndpoint("integration-orders");
    }

    @AfterEach
    void stop() {
        lambda.close();
    }

    static void line(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new AWSCredentialsImpl(
                        CredentialsScope.GLOBAL, "aws-int", "AKIDJENKINSTEST", "secret-key", "integration account"));
        SystemCredentialsProvider.getInstance().save();
        EnvironmentConfig integration = new EnvironmentConfig("integration");
        EnvironmentConfig prod = new EnvironmentConfig("prod");
        prod.setPromotesFrom("integration");
        prod.setApprovals(1);
        prod.setSeparationOfDuties(true);
        PromotionConfiguration.get().setEnvironments(List.of(integration, prod));
    }

    private WorkflowJob job(JenkinsRule j, String name, String extra) throws Exception {
        return job(j, lambda, name, extra);
    }

    static WorkflowJob job(JenkinsRule j, LambdaTestEndpoint lambda, String name, String extra) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(
                "node {\n"
                        + "  writeFile file: 'orders.zip', text: 'orders 1.1.0'\n"
                        + "  def v = lambdaDeploy(function: 'integration-orders', version: '1.1.0', zip: 'orders.zip',\n"
                        + "      region: 'eu-west-1', credentialsId: 'aws-int', endpoint: '" + lambda.url() + "',\n"
                        + "      invocations: 5, analysis: [[name: 'errors', source: 'lambda-invoke', query: '{\"order\":1}', threshold: 0.0,\n"
                        + "                                 compare: false, minSamples: 5, critical: true]]" + extra
                        + ")\n"
                        + "  echo \"published version ${v}\"\n"
                        + "}\n",
                true));
        return p;
    }

    @Test
    void aZipGoesThroughTheGatesAndTheCanaryOnTheAliasToAllTraffic(JenkinsRule j) throws Exception {
        line(j);
        WorkflowRun b = j.buildAndAssertSuccess(job(j, "good", ", strategy: '50%/1s, 100%'"));
        j.assertLogContains("[lambda] Gates of promotion", b);
        j.assertLogContains(
                "[lambda]   previous environment: PASS - integration is the first environment of the line", b);
        j.assertLogContains(
                "Published integration-orders version 2 with CodeSha256 "
                        + LambdaTestEndpoint.sha("orders 1.1.0".getBytes()),
                b);
        j.assertLogContains("Alias live now: version 1 50%, version 2 50%", b);
        j.assertLogContains("Alias live now: version 1 0%, version 2 100%", b);
        j.assertLogContains("metric errors: PASS", b);
        j.assertLogContains("published version 2", b);
        assertEquals("2", lambda.aliasVersion());
        assertTrue(lambda.weights().isEmpty());
        assertTrue(
                lambda.authorizations.stream().allMatch(a -> a.contains("Credential=AKIDJENKINSTEST/")),
                "every call was signed with the Jenkins AWS credentials: " + lambda.authorizations);
        assertEquals(
                "1.1.0",
                PromotionService.get()
                        .engine()
                        .current("integration")
                        .get(0)
                        .artifact()
                        .version());
    }

    @Test
    void aFailingAnalysisRollsTheAliasBackAndTheBuildFailsWithTheReason(JenkinsRule j) throws Exception {
        line(j);
        lambda.newVersionFails = true;
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job(j, "bad", ", strategy: '50%/1s, 100%'"));
        j.assertLogContains("Alias live now: version 1 50%, version 2 50%", b);
        j.assertLogContains("metric errors: FAIL", b);
        j.assertLogContains("rolled back: alias live of integration-orders is back on version 1", b);
        j.assertLogContains("Alias live now: version 1 100%, version 2 0%", b);
        assertEquals("1", lambda.aliasVersion());
        assertEquals(Map.of(), lambda.weights());
    }

    @Test
    void aNewVersionThatFailsTheProbeNeverTakesTraffic(JenkinsRule j) throws Exception {
        line(j);
        lambda.newVersionFails = true;
        WorkflowRun b = j.buildAndAssertStatus(
                Result.FAILURE, job(j, "probe", ", strategy: '50%/1s, 100%', probePayload: '{\"order\":0}'"));
        j.assertLogContains(
                "probe: version 2 of integration-orders answered the test payload with FunctionError Unhandled", b);
        j.assertLogNotContains("version 2 50%", b);
        assertEquals("1", lambda.aliasVersion());
        assertEquals(
                PromotionStatus.FAILED,
                PromotionService.get().engine().history("integration", 0, 10).isEmpty()
                        ? null
                        : PromotionService.get()
                                .engine()
                                .whereHasBeen(io.jenkins.plugins.releaseline.engine.promotion.Digest.parse(
                                        io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCodeDigest.of(
                                                        "orders 1.1.0".getBytes())
                                                .promoted()))
                                .get(0)
                                .status());
    }

    @Test
    void prodWaitsForItsApprovalAndGivesUpAtTheGateTimeoutNamingTheGate(JenkinsRule j) throws Exception {
        line(j);
        j.buildAndAssertSuccess(job(j, "integration", ", strategy: 'AllAtOnce'"));
        String promoted = io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaCodeDigest.of(
                        "orders 1.1.0".getBytes())
                .promoted();
        int callsBefore = lambda.authorizations.size();

        WorkflowJob p = j.createProject(WorkflowJob.class, "prod");
        p.setDefinition(new CpsFlowDefinition(
                "lambdaDeploy(function: 'prod-orders', version: '1.1.0', digest: '" + promoted + "',\n"
                        + "    s3: [bucket: 'builds', key: 'orders.zip', version: 'v1'], strategy: 'Canary10Percent5Minutes',\n"
                        + "    region: 'eu-west-1', endpoint: '" + lambda.url() + "', gateTimeout: '2s')\n",
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("[lambda]   previous environment: PASS - integration ran", b);
        j.assertLogContains("[lambda]   approvals: WAIT - 0 of 1 approvals", b);
        j.assertLogContains("timed out after 2s waiting for: approvals; cancelled", b);
        assertEquals(callsBefore, lambda.authorizations.size(), "nothing was sent to Lambda for prod");

        WorkflowJob rebuilt = j.createProject(WorkflowJob.class, "rebuilt");
        rebuilt.setDefinition(new CpsFlowDefinition(
                "lambdaDeploy(function: 'prod-orders', version: '1.1.0', digest: 'sha256:" + "ab".repeat(32) + "',\n"
                        + "    s3: [bucket: 'builds', key: 'orders.zip', version: 'v2'], strategy: 'Canary10Percent5Minutes',\n"
                        + "    region: 'eu-west-1', endpoint: '" + lambda.url() + "')\n",
                true));
        WorkflowRun r = j.buildAndAssertStatus(Result.FAILURE, rebuilt);
        j.assertLogContains(" refused:", r);
        j.assertLogContains("  - previous environment: version 1.1.0 was built again", r);
        assertEquals(callsBefore, lambda.authorizations.size(), "nothing was sent to Lambda for prod");
    }

    @Test
    void theDocumentedArgumentsBindThroughNestedMaps(JenkinsRule j) throws Exception {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("function", "prod-orders");
        args.put("alias", "live");
        args.put("s3", Map.of("bucket", "acme-orders-builds", "key", "orders/orders.zip", "version", "v7"));
        args.put("digest", "sha256:" + "ab".repeat(32));
        args.put("version", "1.4.2");
        args.put("strategy", "Canary10Percent5Minutes");
        args.put("probePayload", "{\"orderId\":\"smoke-test\",\"items\":1}");
        args.put(
                "analysis",
                List.of(
                        Map.of(
                                "name",
                                "error-rate",
                                "source",
                                "cloudwatch",
                                "threshold",
                                new java.math.BigDecimal("0.01"),
                                "absoluteTolerance",
                                new java.math.BigDecimal("0.005"),
                                "minSamples",
                                5,
                                "critical",
                                true,
                                "query",
                                "SUM(SEARCH('x {{version}}', 'Sum', 60))"),
                        Map.of(
                                "name",
                                "throttles",
                                "source",
                                "cloudwatch",
                                "threshold",
                                0,
                                "compare",
                                false,
                                "minSamples",
                                1,
                                "query",
                                "SUM(SEARCH('t {{version}}', 'Sum', 60))")));
        args.put("cloudwatch", Map.of("period", 60));
        args.put("invocations", 20);
        args.put("gateTimeout", "48h");
        args.put("region", "eu-west-1");
        args.put("credentialsId", "aws-prod");
        LambdaDeployStep step = (LambdaDeployStep) j.jenkins
                .getDescriptorByType(LambdaDeployStep.DescriptorImpl.class)
                .newInstance(args);

        assertEquals("acme-orders-builds", step.getS3().getBucket());
        assertEquals(Double.valueOf(0.0), step.getAnalysis().get(1).getThreshold());
        assertEquals(
                java.util.Set.of("canaryMetric"),
                org.jenkinsci.plugins.structs.SymbolLookup.getSymbolValue(
                        step.getAnalysis().get(0)),
                "canaryDeploy and lambdaDeploy bind the same metric");
        assertEquals(
                Map.of(
                        "name",
                        "throttles",
                        "source",
                        "cloudwatch",
                        "query",
                        "SUM(SEARCH('t {{version}}', 'Sum', 60))",
                        "threshold",
                        0.0,
                        "compare",
                        false,
                        "minSamples",
                        1),
                step.getAnalysis().get(1).toMap());
        assertEquals(Integer.valueOf(60), step.getCloudwatch().getPeriod());
        io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments parsed =
                io.jenkins.plugins.releaseline.engine.rollout.lambda.LambdaDeployArguments.parse(step.arguments());
        assertEquals("prod", parsed.environment());
        assertEquals("orders", parsed.artifact());
        assertEquals("v7", parsed.s3().version());
        assertEquals(2, parsed.metrics().size());
        assertEquals(0.01, parsed.metrics().get(0).threshold(), 1e-12);
        assertEquals(60, parsed.cloudWatchPeriod());
        assertEquals(20, parsed.invocations());
        assertEquals(java.time.Duration.ofHours(48), parsed.gateTimeout());

        args.put("weights", 10);
        IllegalArgumentException typo = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> j.jenkins
                        .getDescriptorByType(LambdaDeployStep.DescriptorImpl.class)
                        .newInstance(args));
        assertTrue(typo.getMessage().startsWith("weights: is not an argument of lambdaDeploy"), typo.getMessage());
    }

    @Test
    void badArgumentsAndUnknownCredentialsFailNamingTheArgument(JenkinsRule j) throws Exception {
        line(j);
        WorkflowRun typo =
                j.buildAndAssertStatus(Result.FAILURE, job(j, "typo", ", strategy: 'Canary10Percnt5Minutes'"));
        j.assertLogContains("strategy: 'Canary10Percnt5Minutes' is neither a CodeDeploy name", typo);

        WorkflowJob p = j.createProject(WorkflowJob.class, "creds");
        p.setDefinition(new CpsFlowDefinition(
                "node { writeFile file: 'o.zip', text: 'x'\n"
                        + "lambdaDeploy(function: 'integration-orders', version: '1', zip: 'o.zip', strategy: 'AllAtOnce',"
                        + " region: 'eu-west-1', credentialsId: 'nope') }",
                true));
        WorkflowRun creds = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("credentialsId: no AWS credentials 'nope' are available to this build", creds);
        assertTrue(lambda.authorizations.isEmpty(), "nothing was sent to Lambda");
    }
}
