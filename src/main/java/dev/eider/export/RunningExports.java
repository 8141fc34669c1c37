package dev.eider.export;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The progress of the exports the service is running now, for {@code GET /v1/exports/{id}} and the log. */
public final class RunningExports implements ExportProgress {

    private static final Logger log = LoggerFactory.getLogger(RunningExports.class);

    /**
     * How far one running export has got: {@code writing} (the database writes its files, some of them going up
     * in parts meanwhile; totals not known yet, so null) or {@code uploading} (files written, totals known).
     */
    public record Progress(
            int attempt, Instant started, int files, Integer totalFiles, long bytes, Long totalBytes, Instant at) {

        /** Before the attempt is numbered (0): the service has begun it at {@code at}. */
        static Progress starting(Instant at) {
            return new Progress(0, at, 0, null, 0, null, at);
        }

        Progress attempting(int attempt, Instant started) {
            return new Progress(attempt, started, files, totalFiles, bytes, totalBytes, at);
        }

        Progress sent(long sent, Instant now) {
            return new Progress(attempt, started, files, totalFiles, sent, totalBytes, now);
        }

        Progress written(int files, long bytes, Instant now) {
            return new Progress(attempt, started, 0, files, this.bytes, bytes, now);
        }

        Progress uploaded(int files, int totalFiles, long bytes, long totalBytes, Instant now) {
            return new Progress(attempt, started, files, totalFiles, bytes, totalBytes, now);
        }

        /**
         * The plan as at this attempt, once the exporter numbered it: the stored plan counts an attempt only once it
         * recorded its file list.
         */
        Optional<ExportPlan> attemptOf(ExportPlan stored) {
            return attempt > stored.attempts() ? Optional.of(stored.asAttempt(attempt, started)) : Optional.empty();
        }

        /** The totals are known once the database has written the files. */
        public String step() {
            return totalFiles == null ? "writing" : "uploading";
        }
    }

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
        update(plan, p -> p.uploaded(files, totalFiles, bytes, totalBytes, clock.instant()));
        log.atInfo()
                .addKeyValue("event", "export_progress")
                .addKeyValue("export", plan.id())
                .addKeyValue("table", plan.table())
                .addKeyValue("files", files)
                .addKeyValue("total_files", totalFiles)
                .addKeyValue("bytes", bytes)
                .addKeyValue("total_bytes", totalBytes)
                .log(ExportProgress.uploadedMessage(files, totalFiles, bytes, totalBytes));
    }

    /**
     * Not logged: a part is 5 MiB by default, and a large export sends hundreds. Parts still go after the database
     * is done (the upload behind the writing): then the step stays {@code uploading} with its totals.
     */
    @Override
    public void sent(ExportPlan plan, long bytes) {
        update(plan, p -> p.sent(bytes, clock.instant()));
    }

    @Override
    public void written(ExportPlan plan, int files, long bytes) {
        update(plan, p -> p.written(files, bytes, clock.instant()));
        report(plan, ExportProgress.writtenMessage(files, bytes));
    }

    @Override
    public void attempting(ExportPlan attempt) {
        update(attempt, p -> p.attempting(attempt.attempts(), attempt.startedAt()));
    }

    /** Marks the start of an attempt, {@code at}: no file uploaded yet. */
    void started(ExportPlan plan, Instant at) {
        running.put(plan.id(), Progress.starting(at));
    }

    /** Progress of an attempt not marked as started (an export run outside the service) starts now. */
    private void update(ExportPlan plan, UnaryOperator<Progress> change) {
        running.compute(plan.id(), (id, was) -> change.apply(was == null ? Progress.starting(clock.instant()) : was));
    }

    void finished(long id) {
        running.remove(id);
    }

    Optional<Progress> of(long id) {
        return Optional.ofNullable(running.get(id));
    }
}
