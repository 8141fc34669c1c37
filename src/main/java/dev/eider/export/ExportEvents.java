package dev.eider.export;

import org.slf4j.spi.LoggingEventBuilder;

/** The key-value pairs every log event about an export carries, so that they can be filtered on. */
final class ExportEvents {

    private ExportEvents() {}

    static LoggingEventBuilder about(LoggingEventBuilder event, String name, ExportPlan plan) {
        return event.addKeyValue("event", name)
                .addKeyValue("export", plan.id())
                .addKeyValue("table", plan.table())
                .addKeyValue("mode", plan.mode().wireName())
                .addKeyValue("from_sequence", plan.fromSeq())
                .addKeyValue("to_sequence", plan.toSeq());
    }
}
