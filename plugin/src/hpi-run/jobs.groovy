// Job DSL, run by Configuration as Code at every start of hpi:run (jenkins.yaml, "jobs"): the sample release job.
// SAMPLE_JENKINSFILE comes from jenkins.yaml (providedEnv); the pipeline itself runs in the Groovy sandbox.
pipelineJob('release-line-sample') {
  displayName('Release Line sample release')
  description('The release of bin/rehearsal through the plugin\'s steps: promotion with soak time, an Andon freeze, ' +
              'an approval by release-manager, a canary rolled back by its probes, a canary that passes, a toggle ' +
              'raised to 100%. Source: plugin/src/hpi-run/Jenkinsfile.')
  definition {
    cps {
      script(new File(SAMPLE_JENKINSFILE).getText('UTF-8'))
      sandbox(true)
    }
  }
}
