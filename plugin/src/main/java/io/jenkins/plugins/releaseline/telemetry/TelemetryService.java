package io.jenkins.plugins.releaseline.telemetry;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryMetrics;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import io.jenkins.plugins.releaseline.engine.telemetry.DoraPage;
import io.jenkins.plugins.releaseline.engine.telemetry.PostmortemStarter;
import java.time.Clock;
import java.util.List;

/**
 * The engine's telemetry over the open store, kept for as long as the store stays the same (its aggregates fold
 * new ledger records incrementally), rebuilt when the store is reopened with other settings.
 */
@Extension
public class TelemetryService {

    private final Clock clock = Clock.systemUTC();
    private Store store;
    private DeliveryTelemetry telemetry;
    private DeliveryMetrics metrics;
    static final long SAMPLES_TTL_MILLIS = 5_000;
    private List<DeliveryMetrics.Sample> samples;
    private long samplesAt;
    private DeliveryMetrics samplesFrom;

    @NonNull
    public static TelemetryService get() {
        return ExtensionList.lookupSingleton(TelemetryService.class);
    }

    @NonNull
    public synchronized DeliveryTelemetry telemetry() {
        Store current = ReleaseLineStore.get().store();
        if (current != store) {
            store = current;
            telemetry = new DeliveryTelemetry(current, new AuditTrail(current, clock), clock);
            metrics = new DeliveryMetrics(current, telemetry, clock);
        }
        return telemetry;
    }

    @NonNull
    public synchronized DeliveryMetrics metrics() {
        telemetry();
        return metrics;
    }

    /**
     * The metric samples, computed at most once every {@link #SAMPLES_TTL_MILLIS}: the metrics plugin reads each
     * gauge separately, and they all come from one computation.
     */
    @NonNull
    public synchronized List<DeliveryMetrics.Sample> samples() {
        long now = System.currentTimeMillis();
        DeliveryMetrics m = metrics();
        if (samples == null || samplesFrom != m || now - samplesAt > SAMPLES_TTL_MILLIS) {
            samples = m.samples();
            samplesAt = now;
            samplesFrom = m;
        }
        return samples;
    }

    @NonNull
    public DoraPage page() {
        return new DoraPage(telemetry(), clock);
    }

    @NonNull
    public PostmortemStarter postmortems() {
        Store current = ReleaseLineStore.get().store();
        return new PostmortemStarter(current, new AuditTrail(current, clock), clock);
    }
}
