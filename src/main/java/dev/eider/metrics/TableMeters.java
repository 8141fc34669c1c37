package dev.eider.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;

/** The meters of one table and the export state behind its gauges. */
final class TableMeters {

    final String table;
    final Counter written;
    final Counter failures;
    final Counter rows;
    final Counter bytes;
    final ExportFreshness freshness = new ExportFreshness();
    volatile Instant lastSuccess;

    TableMeters(String table, MeterRegistry registry, Clock clock) {
        this.table = table;
        written = counter(
                registry, "eider.records.written", "Rows written (upserts and deletes), counted when acknowledged");
        failures = counter(registry, "eider.export.failures", "Export attempts that failed");
        rows = counter(registry, "eider.export.rows", "Rows in succeeded exports");
        bytes = counter(registry, "eider.export.bytes", "Parquet bytes in succeeded exports");
        Gauge.builder("eider.export.last.success.timestamp.seconds", this, t -> t.lastSuccessSeconds())
                .description("When the table's last export succeeded (Unix seconds; 0 if never)")
                .tag("table", table)
                .register(registry);
        Gauge.builder("eider.export.freshness.seconds", this, t -> t.freshness.ageSeconds(clock.instant()))
                .description("Age of the oldest acknowledged change not yet exported (0 when all is exported)")
                .tag("table", table)
                .register(registry);
        duration(registry, "succeeded");
        duration(registry, "failed");
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name)
                .description(description)
                .tag("table", table)
                .register(registry);
    }

    Timer duration(MeterRegistry registry, String outcome) {
        return Timer.builder("eider.export.duration")
                .description("Duration of export attempts")
                .tags("table", table, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private double lastSuccessSeconds() {
        Instant at = lastSuccess;
        return at == null ? 0 : at.toEpochMilli() / 1000.0;
    }
}
