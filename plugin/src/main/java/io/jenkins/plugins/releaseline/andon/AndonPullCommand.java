package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.cli.CLICommand;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

/** {@code andon-pull -scope environment:prod "Payments down, INC-42"}; prints the freeze's key. */
@Extension
public class AndonPullCommand extends CLICommand {

    @Argument(metaVar = "REASON", usage = "Why the line must stop (required).", required = true)
    public String reason;

    @Option(
            name = "-scope",
            usage = "everything (default), job:<folder/job>, environment:<name>, or job:<path>,environment:<name>")
    public String scope = "everything";

    @Option(name = "-stops", usage = "deployments (default) or all-builds")
    public String stops;

    @Option(name = "-link", usage = "An incident or build address")
    public String link;

    @Option(name = "-expires-in-minutes", usage = "Lift the freeze by itself after this many minutes")
    public String expiresInMinutes;

    @Override
    public String getShortDescription() {
        return Messages.PullCommand_ShortDescription();
    }

    @Override
    protected int run() throws Exception {
        Jenkins.get().checkPermission(AndonPermissions.PULL);
        Map<String, String> form = new HashMap<>();
        form.put("scope", scope);
        form.put("stops", stops);
        form.put("reason", reason);
        form.put("link", link);
        form.put("expiresInMinutes", expiresInMinutes);
        // refusals are IllegalArgumentException (exit 3) or IllegalStateException (exit 4) with the engine's message
        Freeze f =
                AndonService.get().freshBoard().pull(ActingUser.id(), AndonApi.pullRequest(form::get, Instant.now()));
        stdout.println("freeze-" + f.id() + " pulled (" + f.scope() + ", stops "
                + f.stops().text() + ")");
        return 0;
    }
}
