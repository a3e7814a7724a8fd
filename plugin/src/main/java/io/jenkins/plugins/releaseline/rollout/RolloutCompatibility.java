package io.jenkins.plugins.releaseline.rollout;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Items;
import hudson.model.Run;
import hudson.util.XStream2;
import io.jenkins.plugins.releaseline.rollout.bluegreen.BlueGreenAction;
import io.jenkins.plugins.releaseline.rollout.bluegreen.HealthCheckSpec;
import io.jenkins.plugins.releaseline.rollout.canary.CanaryAction;
import io.jenkins.plugins.releaseline.rollout.router.AlbRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.HaproxyRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.NginxRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.PipelineRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The rollout classes moved from {@code io.jenkins.plugins.releaseline.rollout} into one package per kind of
 * rollout; the global configuration and build records written before still name the old classes.
 */
public final class RolloutCompatibility {

    private static final String OLD = "io.jenkins.plugins.releaseline.rollout.";

    private RolloutCompatibility() {}

    @Initializer(before = InitMilestone.PLUGINS_STARTED)
    public static void aliasOldClassNames() {
        List<Class<?>> moved = List.of(
                TrafficRouters.class,
                HaproxyRouterDefinition.class,
                NginxRouterDefinition.class,
                AlbRouterDefinition.class,
                PipelineRouterDefinition.class,
                HealthCheckSpec.class,
                BlueGreenAction.class,
                CanaryAction.class);
        for (XStream2 xstream : List.of(Jenkins.XSTREAM2, Items.XSTREAM2, Run.XSTREAM2)) {
            for (Class<?> c : moved) {
                xstream.addCompatibilityAlias(OLD + c.getSimpleName(), c);
            }
        }
    }
}
