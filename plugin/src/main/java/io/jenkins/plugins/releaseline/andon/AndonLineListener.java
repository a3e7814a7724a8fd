package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the board how line jobs end: a failed or unstable build pulls the line's freeze, a successful one
 * releases it (if the line's policy says so). Which jobs are lines is the engine's business.
 */
@Extension
public class AndonLineListener extends RunListener<Run<?, ?>> {

    private static final Logger LOGGER = Logger.getLogger(AndonLineListener.class.getName());

    @Override
    public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
        Result result = run.getResult();
        if (result == null) {
            return;
        }
        String job = run.getParent().getFullName();
        if (AndonConfiguration.get().getLines().stream().noneMatch(l -> job.equals(l.getJobPath()))) {
            return;
        }
        try {
            if (result == Result.SUCCESS) {
                Optional<Freeze> released =
                        AndonService.get().freshBoard().lineSucceeded(job, run.getExternalizableId());
                released.ifPresent(
                        f -> listener.getLogger().println(Messages.LineListener_Released("freeze-" + f.id())));
            } else if (result == Result.FAILURE || result == Result.UNSTABLE) {
                Optional<Freeze> pulled =
                        AndonService.get().freshBoard().lineFailed(job, run.getExternalizableId(), "/" + run.getUrl());
                pulled.ifPresent(f -> listener.getLogger().println(Messages.LineListener_Pulled("freeze-" + f.id())));
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not tell the Andon board how " + run.getExternalizableId() + " ended", e);
        }
    }
}
