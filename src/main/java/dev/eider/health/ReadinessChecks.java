package dev.eider.health;

import dev.eider.export.ExportPlan;
import dev.eider.export.ExportService;
import dev.eider.export.TargetStatus;
import dev.eider.ingest.Health;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the service's {@link Readiness} from ingest's health, the failing exports and the target check. */
public final class ReadinessChecks implements Supplier<Readiness> {

    private final String database;
    private final Supplier<Health> ingest;
    private final ExportService exports;
    private final TargetStatus target;

    public ReadinessChecks(String database, Supplier<Health> ingest, ExportService exports, TargetStatus target) {
        this.database = database;
        this.ingest = ingest;
        this.exports = exports;
        this.target = target;
    }

    @Override
    public Readiness get() {
        return new Readiness(List.of(ingest(), exports(), target()));
    }

    private Readiness.Check ingest() {
        Health h = ingest.get();
        return new Readiness.Check(
                "ingest", database, h.ready() ? Readiness.OK : h.status(), h.detail(), true, List.of());
    }

    private Readiness.Check exports() {
        List<ExportPlan> failing = exports.failing();
        if (failing.isEmpty()) {
            return new Readiness.Check("exports", null, Readiness.OK, null, false, List.of());
        }
        List<String> lines = failing.stream()
                .map(p -> p.table() + ": export #" + p.id() + " failed " + p.attempts() + " time(s): " + p.error())
                .toList();
        return new Readiness.Check(
                "exports",
                null,
                "failing",
                String.join("; ", lines),
                false,
                failing.stream().map(ReadinessChecks::failure).toList());
    }

    private Readiness.Check target() {
        return target.result()
                .map(r -> new Readiness.Check(
                        "export_target",
                        target.describe(),
                        r.ok() ? Readiness.OK : "failing",
                        r.detail(),
                        false,
                        List.of()))
                .orElseGet(() -> new Readiness.Check(
                        "export_target",
                        target.describe(),
                        Readiness.PENDING,
                        "the first check is running",
                        false,
                        List.of()));
    }

    private static Map<String, Object> failure(ExportPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("table", p.table());
        m.put("error", p.error());
        m.put("attempts", p.attempts());
        m.put("next_attempt_at", p.nextAttemptAt());
        return m;
    }
}
