package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.cli.CLICommand;
import io.jenkins.plugins.releaseline.engine.andon.Blocker;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * {@code andon-status}: "Line running", or "Line stopped" and one tab-separated line per active freeze
 * (key, scope, stops, who, since, reason). Scripts read the first line.
 */
@Extension
public class AndonStatusCommand extends CLICommand {

    @Override
    public String getShortDescription() {
        return Messages.StatusCommand_ShortDescription();
    }

    @Override
    protected int run() throws Exception {
        Jenkins.get().checkPermission(Jenkins.READ);
        List<Blocker> active = AndonService.get().board().activeBlockers();
        if (active.isEmpty()) {
            stdout.println("Line running");
            return 0;
        }
        stdout.println("Line stopped");
        for (Blocker b : active) {
            stdout.println(b.key() + "\t" + b.scope() + "\t" + b.stops().text() + "\t"
                    + (b.pulledBy() == null ? "" : b.pulledBy()) + "\t" + b.since() + "\t"
                    + b.reason().replace('\n', ' '));
        }
        return 0;
    }
}
