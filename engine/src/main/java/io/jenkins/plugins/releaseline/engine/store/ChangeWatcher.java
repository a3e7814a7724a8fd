package io.jenkins.plugins.releaseline.engine.store;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls {@link ChangeSignals} and tells listeners when a topic moved, so that a change made on another
 * controller sharing the database reaches this controller's snapshots within one poll interval.
 * One small indexed query per interval; nothing on the hot path of a decision.
 */
public final class ChangeWatcher implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(ChangeWatcher.class.getName());

    /** Called with the topic that moved; runs on the watcher's thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(String topic);
    }

    private final Store store;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    private record Registration(String topic, Listener listener) {}

    public ChangeWatcher(Store store, Duration interval) {
        this.store = Objects.requireNonNull(store, "store");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: must be positive");
        }
        seen.putAll(store.read(ChangeSignals::read));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "release-line-change-watcher-" + store.controllerId());
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void subscribe(String topic, Listener listener) {
        listeners.add(new Registration(topic, listener));
    }

    /** One poll, also callable directly (tests, or right after a local change). */
    public void poll() {
        try {
            Map<String, Long> now = store.read(ChangeSignals::read);
            for (Map.Entry<String, Long> e : now.entrySet()) {
                Long before = seen.put(e.getKey(), e.getValue());
                if (!e.getValue().equals(before)) {
                    notifyListeners(e.getKey());
                }
            }
        } catch (StoreUnavailableException e) {
            // said once by StoreAvailability when the store went down, not at every poll
            LOGGER.log(Level.FINE, "Could not poll the store for changes made by other controllers", e);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not poll the store for changes made by other controllers", e);
        }
    }

    private void notifyListeners(String topic) {
        for (Registration r : listeners) {
            if (r.topic().equals(topic)) {
                try {
                    r.listener().changed(topic);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "A listener for '" + topic + "' failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
