package dev.eider.http;

import dev.eider.export.ExportFile;
import dev.eider.export.ExportPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** An export as the HTTP API shows it. */
final class ExportView {

    private ExportView() {}

    static Map<String, Object> of(ExportPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("table", p.table());
        m.put("mode", p.mode().wireName());
        m.put("state", p.state().wireName());
        m.put("from_sequence", p.fromSeq());
        m.put("to_sequence", p.toSeq());
        m.put("rows", p.rows());
        m.put("bytes", p.bytes());
        m.put("attempts", p.attempts());
        m.put("planned_at", p.plannedAt());
        m.put("started_at", p.startedAt());
        m.put("finished_at", p.finishedAt());
        m.put(
                "duration_ms",
                p.startedAt() == null || p.finishedAt() == null
                        ? null
                        : Duration.between(p.startedAt(), p.finishedAt()).toMillis());
        m.put("manifest", p.manifestKey());
        m.put("objects", p.files().stream().map(ExportFile::key).toList());
        m.put("error", p.error());
        m.put("next_attempt_at", p.nextAttemptAt());
        return m;
    }
}
