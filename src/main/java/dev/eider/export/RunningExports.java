package dev.eider.export;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The progress of the exports the service is running now, for {@code GET /v1/exports/{id}} and the log. */
public final class RunningExports implements ExportProgress {

    private static final Logger log = LoggerFactory.getLogger(RunningExports.class);

    /** How far one running export has got. */
    public record Progress(int files, int totalFiles, long bytes, long totalBytes, Instant at) {}

    private final Map<Long, Progress> running = new ConcurrentHashMap<>();
    private final Clock clock;

    RunningExports(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void report(ExportPlan plan, String message) {
        log.atInfo()
                .addKeyValue("event", "export_progress")
                .addKeyValue("export", plan.id())
                .addKeyValue("table", plan.table())
                .log(message);
    }

    @Override
    public void uploaded(ExportPlan plan, int files, int totalFiles, long bytes, long totalBytes) {
        running.put(plan.id(), new Progress(files, totalFiles, bytes, totalBytes, clock.instant()));
        log.atInfo()
                .addKeyValue("event", "export_progress")
                .addKeyValue("export", plan.id())
                .addKeyValue("table", plan.table())
                .addKeyValue("files", files)
                .addKeyValue("total_files", totalFiles)
                .addKeyValue("bytes", bytes)
                .addKeyValue("total_bytes", totalBytes)
                .log("uploaded {}/{} files, {} of {} bytes", files, totalFiles, bytes, totalBytes);
    }

    /** Marks the start of an attempt: no file uploaded yet. */
    void started(ExportPlan plan) {
        running.put(plan.id(), new Progress(0, 0, 0, 0, clock.instant()));
    }

    void finished(long id) {
        running.remove(id);
    }

    Optional<Progress> of(long id) {
        return Optional.ofNullable(running.get(id));
    }
}
