package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One export as recorded in the database before any byte is uploaded: the table, what it writes
 * (the rows as of {@code toSeq}, or the changes in {@code (fromSeq, toSeq]}), where its objects go,
 * and how far it got.
 *
 * @param files the data files of the latest attempt, recorded before they are uploaded
 * @param error the last failure, or null
 * @param nextAttemptAt when a failed plan is retried, or null
 */
public record ExportPlan(
        long id,
        String table,
        Mode mode,
        long fromSeq,
        long toSeq,
        ExportState state,
        List<ExportFile> files,
        long rows,
        long bytes,
        String error,
        int attempts,
        Instant plannedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant nextAttemptAt) {

    public ExportPlan {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        files = List.copyOf(files);
        if (fromSeq < 0 || toSeq < fromSeq) {
            throw new IllegalArgumentException("bad sequence range (" + fromSeq + ", " + toSeq + "]");
        }
    }

    /** The key prefix of its data files, derived from table, mode and range, so that a retry rewrites the same keys. */
    public String directory() {
        return ObjectKeys.directory(table, mode, fromSeq, toSeq);
    }

    /** The key of its manifest. */
    public String manifestKey() {
        return ObjectKeys.manifestKey(directory());
    }

    /** A copy for attempt number {@code attempt}, begun at {@code at}: running, with no error or retry time. */
    public ExportPlan asAttempt(int attempt, Instant at) {
        return with(ExportState.RUNNING, files, rows, bytes, null, attempt, at, finishedAt, null);
    }

    /** A copy as the export history holds it once the export has succeeded at {@code at}. */
    public ExportPlan succeeded(Instant at) {
        return with(ExportState.SUCCEEDED, files, rows, bytes, null, attempts, startedAt, at, null);
    }

    /** A copy without its files but with their counts, as {@link ExportStore#chain} answers plans. */
    public ExportPlan withoutFiles() {
        return with(state, List.of(), rows, bytes, error, attempts, startedAt, finishedAt, nextAttemptAt);
    }

    /** A copy with the files of a new attempt. */
    public ExportPlan withFiles(List<ExportFile> newFiles) {
        return with(
                state,
                newFiles,
                newFiles.stream().mapToLong(ExportFile::rows).sum(),
                newFiles.stream().mapToLong(ExportFile::bytes).sum(),
                error,
                attempts,
                startedAt,
                finishedAt,
                nextAttemptAt);
    }

    /** The same plan (table, range, planning time) in another state of its history. */
    private ExportPlan with(
            ExportState newState,
            List<ExportFile> newFiles,
            long newRows,
            long newBytes,
            String newError,
            int newAttempts,
            Instant newStartedAt,
            Instant newFinishedAt,
            Instant newNextAttemptAt) {
        return new ExportPlan(
                id,
                table,
                mode,
                fromSeq,
                toSeq,
                newState,
                newFiles,
                newRows,
                newBytes,
                newError,
                newAttempts,
                plannedAt,
                newStartedAt,
                newFinishedAt,
                newNextAttemptAt);
    }
}
