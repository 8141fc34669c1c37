package dev.eider.export;

/** Hears how an export advances: {@code eider export} prints it; the service logs it and shows it in the API. */
@FunctionalInterface
public interface ExportProgress {

    ExportProgress NONE = (plan, message) -> {};

    void report(ExportPlan plan, String message);

    /** An attempt begins: its number and start are {@code attempt.attempts()} and {@code attempt.startedAt()}. */
    default void attempting(ExportPlan attempt) {}

    /** While the database still writes: {@code bytes} of its files went up in parts so far (S3 only). */
    default void sent(ExportPlan plan, long bytes) {}

    /** The database has written the attempt's {@code files} data files, {@code bytes} in all; they go up now. */
    default void written(ExportPlan plan, int files, long bytes) {
        report(plan, writtenMessage(files, bytes));
    }

    /** Between writing and uploading, a long export says which of the two it is in. */
    static String writtenMessage(int files, long bytes) {
        return "wrote " + files + (files == 1 ? " Parquet file, " : " Parquet files, ") + bytes + " bytes; uploading";
    }

    /** One more data file is uploaded: {@code files} of {@code totalFiles}, {@code bytes} of {@code totalBytes}. */
    default void uploaded(ExportPlan plan, int files, int totalFiles, long bytes, long totalBytes) {
        report(plan, uploadedMessage(files, totalFiles, bytes, totalBytes));
    }

    /**
     * A file counts when it is complete at the target; a byte when it was sent: files sent in parts while written are
     * up but for their completion, so the bytes can all be sent before the files are (a new-user trial read "1/4
     * files, 61290571 of 61290571 bytes" as a miscount).
     */
    static String uploadedMessage(int files, int totalFiles, long bytes, long totalBytes) {
        return files + "/" + totalFiles + " files uploaded, " + bytes + " of " + totalBytes + " bytes sent";
    }
}
