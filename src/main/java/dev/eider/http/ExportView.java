package dev.eider.http;

import dev.eider.export.ExportFile;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.export.RunningExports;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An export as the HTTP API shows it. */
public final class ExportView {

    private ExportView() {}

    public static Map<String, Object> of(ExportPlan p) {
        return of(p, Optional.empty());
    }

    /**
     * With {@code progress} when the export is running in this service now: every view of an export shows it (a trial
     * saw the list and the status page show "planned", with none, beside a running export's own route).
     */
    public static Map<String, Object> of(ExportPlan p, Optional<RunningExports.Progress> progress) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("table", p.table());
        m.put("mode", p.mode().wireName());
        // An attempt is recorded with its file list, after its COPY: until then the stored state still reads planned
        // (or failed, for a retry), though this service is at work on it (a trial found that misleading).
        boolean atWork = progress.isPresent() && p.state().isOpen();
        m.put("state", atWork ? "running" : p.state().wireName());
        m.put("from_sequence", p.fromSeq());
        m.put("to_sequence", p.toSeq());
        m.put("rows", p.rows());
        m.put("bytes", p.bytes());
        // At work, the attempt counts before it records itself (with its file list).
        m.put("attempts", atWork ? Math.max(p.attempts(), progress.get().attempt()) : p.attempts());
        m.put("planned_at", p.plannedAt());
        // At work, the times are this attempt's: the stored ones are the previous attempt's, or none (a trial).
        Instant started = atWork ? progress.get().started() : p.startedAt();
        Instant finished = atWork ? null : p.finishedAt();
        m.put("started_at", started);
        m.put("finished_at", finished);
        m.put(
                "duration_ms",
                started == null || finished == null
                        ? null
                        : Duration.between(started, finished).toMillis());
        // A skipped export wrote nothing, not even a manifest.
        m.put("manifest", p.state() == ExportState.SKIPPED ? null : p.manifestKey());
        m.put("objects", p.files().stream().map(ExportFile::key).toList());
        // At work, the latest attempt is this one, which has not failed (a trial read the last one's error as its).
        m.put("error", atWork ? null : p.error());
        m.put("next_attempt_at", atWork ? null : p.nextAttemptAt());
        // A cancelled attempt runs on until it next looks, but its progress is no longer the export's (a trial).
        if (atWork) {
            m.put("progress", progress(progress.get()));
        }
        return m;
    }

    private static Map<String, Object> progress(RunningExports.Progress r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", r.step());
        m.put("files_uploaded", r.files());
        m.put("files", r.totalFiles());
        m.put("bytes_uploaded", r.bytes());
        m.put("bytes", r.totalBytes());
        m.put("updated_at", r.at());
        return m;
    }
}
