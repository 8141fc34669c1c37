package dev.eider.health;

import dev.eider.export.ExportPlan;
import dev.eider.export.TargetStatus;
import dev.eider.ingest.Health;
import dev.eider.store.StoreException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the service's {@link Readiness} from ingest's health, the failing exports and the target check. */
public final class ReadinessChecks implements Supplier<Readiness> {

    private final String database;
    private final Supplier<Health> ingest;
    private final Supplier<List<ExportPlan>> failingExports;
    private final TargetStatus target;

    /** @param failingExports the open exports whose last attempt failed ({@code ExportService::failing}) */
    public ReadinessChecks(
            String database, Supplier<Health> ingest, Supplier<List<ExportPlan>> failingExports, TargetStatus target) {
        this.database = database;
        this.ingest = ingest;
        this.failingExports = failingExports;
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
        List<ExportPlan> failing;
        try {
            failing = failingExports.get();
        } catch (StoreException e) {
            // The database cannot say (it stopped, or is out of reach): ingest's check says why; this one
            // must not turn liveness and readiness into errors of their own.
            return new Readiness.Check(
                    "exports",
                    null,
                    "unknown",
                    // Its own words (an engine's, with server paths) are for the log: this answer needs no token.
                    "the database cannot list exports (see the log; the ingest check says why)",
                    false,
                    List.of());
        }
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
