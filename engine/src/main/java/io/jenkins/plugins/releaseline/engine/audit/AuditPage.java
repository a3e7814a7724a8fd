package io.jenkins.plugins.releaseline.engine.audit;

import java.util.List;
import java.util.OptionalLong;

/** One page of records; {@code next} is the {@code afterSeq} of the following page, empty on the last one. */
public record AuditPage(List<AuditRecord> records, OptionalLong next) {
    public AuditPage {
        records = List.copyOf(records);
    }
}
