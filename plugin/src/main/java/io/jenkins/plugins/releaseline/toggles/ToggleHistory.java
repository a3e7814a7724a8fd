package io.jenkins.plugins.releaseline.toggles;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import java.util.List;

/** {@code /release-line/toggles/history/<key>/}: the audit records of one toggle, newest first. */
public class ToggleHistory {
    private final String key;
    private final List<AuditRecord> records;

    ToggleHistory(String key, List<AuditRecord> records) {
        this.key = key;
        this.records = List.copyOf(records);
    }

    public String getKey() {
        return key;
    }

    public List<AuditRecord> getRecords() {
        return records;
    }
}
