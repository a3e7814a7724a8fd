package io.jenkins.plugins.releaseline.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening, migrating, transactions and change signals, run against each database the store supports. */
abstract class StoreContract {

    abstract StoreTarget newTarget() throws Exception;

    @Test
    void migratesOnceAndAReopenAppliesNothing() throws Exception {
        StoreTarget target = newTarget();
        try (Store store = target.open()) {
            assertThat(appliedMigrations(store)).isGreaterThanOrEqualTo(1);
        }
        try (Store again = target.open()) {
            int before = appliedMigrations(again);
            try (Store third = target.open()) {
                assertThat(appliedMigrations(third)).isEqualTo(before);
            }
        }
    }

    @Test
    void controllersStartingAtOnceAllGetTheSameSchema() throws Exception {
        StoreTarget target = newTarget();
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Store>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String id = "c" + i;
                opened.add(pool.submit(() -> {
                    go.await();
                    return target.open(id);
                }));
            }
            go.countDown();
            List<Store> stores = new ArrayList<>();
            for (Future<Store> f : opened) {
                stores.add(f.get(120, TimeUnit.SECONDS));
            }
            int reference = appliedMigrations(stores.get(0));
            for (Store s : stores) {
                assertThat(appliedMigrations(s)).isEqualTo(reference);
            }
            stores.forEach(Store::close);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedTransactionChangesNothing() throws Exception {
        try (Store store = newTarget().open()) {
            store.inTransaction(c -> ChangeSignals.raise(c, "andon"));
            assertThatThrownBy(() -> store.inTransaction(c -> {
                ChangeSignals.raise(c, "andon");
                ChangeSignals.raise(c, "toggles");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.read(ChangeSignals::read)).containsExactlyEntriesOf(java.util.Map.of("andon", 1L));
        }
    }

    @Test
    void concurrentRaisesOfOneCounterAreAllCounted() throws Exception {
        StoreTarget target = newTarget();
        try (Store a = target.open("a"); Store b = target.open("b")) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Callable<Void>> work = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    Store s = t % 2 == 0 ? a : b;
                    work.add(() -> {
                        for (int i = 0; i < 30; i++) {
                            s.inTransaction(c -> ChangeSignals.raise(c, "toggles"));
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(work)) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.read(ChangeSignals::read)).containsEntry("toggles", 180L);
        }
    }

    @Test
    void aWatcherOnAnotherInstanceSeesTheChange() throws Exception {
        StoreTarget target = newTarget();
        try (Store a = target.open("a"); Store b = target.open("b");
             ChangeWatcher watcher = new ChangeWatcher(b, Duration.ofMillis(100))) {
            LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
            watcher.subscribe("andon", seen::add);
            a.inTransaction(c -> ChangeSignals.raise(c, "andon"));
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("andon");
            a.inTransaction(c -> ChangeSignals.raise(c, "toggles"));
            a.inTransaction(c -> ChangeSignals.raise(c, "andon"));
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("andon");
        }
    }

    @Test
    void badSettingsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> StoreSettings.of("", null, null, "a")).hasMessageStartingWith("jdbcUrl:");
        assertThatThrownBy(() -> StoreSettings.of("jdbc:mysql://x/y", null, null, "a")).hasMessageStartingWith("jdbcUrl:")
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> StoreSettings.of("jdbc:h2:mem:x", null, null, "bad id")).hasMessageStartingWith("controllerId:");
    }

    static int appliedMigrations(Store store) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM \"" + Store.HISTORY_TABLE + "\" WHERE \"success\" = TRUE");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
