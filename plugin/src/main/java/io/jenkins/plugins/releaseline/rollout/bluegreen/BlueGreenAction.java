package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The blue-green rollouts a build ran or rolled back, shown on the build's page ({@code summary.jelly}) with each
 * state and its time. Only the ids are kept with the build; the timeline is read from the store.
 */
public class BlueGreenAction implements RunAction2 {

    private static final Logger LOGGER = Logger.getLogger(BlueGreenAction.class.getName());

    private final List<Long> rolloutIds = new ArrayList<>();
    private transient Run<?, ?> run;

    /** Shows the rollout on the build once; a failure to save the build is logged, the rollout goes on. */
    static void show(
            Run<?, ?> run,
            java.util.Optional<io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout> rollout) {
        BlueGreenAction action = run.getAction(BlueGreenAction.class);
        if (rollout.isEmpty()
                || (action != null && action.rolloutIds.contains(rollout.get().id()))) {
            return;
        }
        try {
            attach(run, rollout.get().id());
        } catch (IOException e) {
            java.util.logging.Logger.getLogger(BlueGreenAction.class.getName())
                    .log(
                            java.util.logging.Level.WARNING,
                            "could not show rollout #" + rollout.get().id() + " on " + run,
                            e);
        }
    }

    static synchronized void attach(Run<?, ?> run, long rolloutId) throws IOException {
        BlueGreenAction action = run.getAction(BlueGreenAction.class);
        if (action == null) {
            action = new BlueGreenAction();
            run.addAction(action);
        }
        if (!action.rolloutIds.contains(rolloutId)) {
            action.rolloutIds.add(rolloutId);
        }
        run.save();
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.BlueGreenAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public List<Long> getRolloutIds() {
        return List.copyOf(rolloutIds);
    }

    /** The rollouts with their timelines, as stored now; empty when the store cannot be read (logged). */
    @NonNull
    @Restricted(NoExternalUse.class)
    public List<BlueGreenRollout> getRollouts() {
        List<BlueGreenRollout> out = new ArrayList<>();
        try {
            var controller = BlueGreenService.controller();
            for (long id : getRolloutIds()) {
                controller.get(id).ifPresent(out::add);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not read the blue-green rollouts of " + run, e);
        }
        return out;
    }
}
