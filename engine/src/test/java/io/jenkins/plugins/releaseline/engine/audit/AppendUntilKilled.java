package io.jenkins.plugins.releaseline.engine.audit;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Child process of {@link AuditDurabilityTest}: appends audit records in a loop and prints {@code ACK seq reason}
 * after each append has returned, until it is killed.
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {}

    public static void main(String[] args) {
        String url = args[0];
        String user = args[1].isEmpty() ? null : args[1];
        String run = args[2];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (Store store = Store.open(new StoreSettings(url, user, "", "crash-" + run, 2))) {
            AuditTrail audit = new AuditTrail(store, Clock.systemUTC());
            out.println("READY");
            out.flush();
            for (long i = 0; ; i++) {
                String reason = "run " + run + " append " + i;
                AuditRecord r = audit.append("crash-test", AuditEvent.of("test.append", AuditScope.GLOBAL, reason));
                out.println("ACK " + r.seq() + " " + reason);
                out.flush();
            }
        }
    }
}
