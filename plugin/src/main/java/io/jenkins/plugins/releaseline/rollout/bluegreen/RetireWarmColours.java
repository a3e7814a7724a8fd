package io.jenkins.plugins.releaseline.rollout.bluegreen;

import hudson.Extension;
import hudson.model.PeriodicWork;
import hudson.security.ACL;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Retires, once a minute, the old colour of every blue-green rollout whose warm time is over. The deadline lives in
 * the store, so a restart neither loses nor shortens it.
 */
@Extension
public class RetireWarmColours extends PeriodicWork {

    private static final Logger LOGGER = Logger.getLogger(RetireWarmColours.class.getName());

    @Override
    public long getRecurrencePeriod() {
        return TimeUnit.MINUTES.toMillis(1);
    }

    @Override
    protected void doRun() {
        try {
            BlueGreenService.controller()
                    .retireDue(ACL.SYSTEM2.getName())
                    .forEach(r -> LOGGER.info(() ->
                            "Retired " + r.liveColour() + " of " + r.environment() + " (rollout #" + r.id() + ")"));
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not retire warm colours", e);
        }
    }
}
