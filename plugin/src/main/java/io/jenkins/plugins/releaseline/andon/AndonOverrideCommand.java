package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.cli.CLICommand;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.andon.BreakGlass;
import jenkins.model.Jenkins;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

/**
 * {@code andon-override freeze-12 team-a/payments/main#57 -reason "CVE-2026-1234 hotfix"}: break glass for
 * one build. That build's {@code andonCheck} then goes through this freeze; the override is audited.
 */
@Extension
public class AndonOverrideCommand extends CLICommand {

    @Argument(metaVar = "FREEZE", usage = "freeze-12, or window:<name> for an open window", required = true)
    public String freeze;

    @Argument(
            metaVar = "BUILD",
            index = 1,
            usage = "The build to let through, as <job full name>#<number>",
            required = true)
    public String build;

    @Option(name = "-reason", usage = "Why this build must go through the freeze (required)", required = true)
    public String reason;

    @Override
    public String getShortDescription() {
        return Messages.OverrideCommand_ShortDescription();
    }

    @Override
    protected int run() throws Exception {
        Jenkins.get().checkPermission(AndonPermissions.OVERRIDE);
        BreakGlass o = AndonService.get().freshBoard().override(ActingUser.id(), freeze, reason, build);
        stdout.println(o.build() + " may go through " + o.freezeKey());
        return 0;
    }
}
