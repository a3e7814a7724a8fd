package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.cli.CLICommand;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import jenkins.model.Jenkins;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

/** {@code andon-release freeze-12 -note "fixed"}. */
@Extension
public class AndonReleaseCommand extends CLICommand {

    @Argument(metaVar = "FREEZE", usage = "The freeze to release: 12 or freeze-12.", required = true)
    public String freeze;

    @Option(name = "-note", usage = "What ended it")
    public String note;

    @Override
    public String getShortDescription() {
        return Messages.ReleaseCommand_ShortDescription();
    }

    @Override
    protected int run() throws Exception {
        Jenkins.get().checkPermission(AndonPermissions.RELEASE);
        Freeze f = AndonService.get().freshBoard().release(ActingUser.id(), AndonApi.freezeId(freeze), note);
        stdout.println("freeze-" + f.id() + " released");
        return 0;
    }
}
