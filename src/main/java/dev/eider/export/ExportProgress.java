package dev.eider.export;

/** Hears how an export advances: {@code eider export} prints it; the service logs it and shows it in the API. */
@FunctionalInterface
public interface ExportProgress {

    ExportProgress NONE = (plan, message) -> {};

    void report(ExportPlan plan, String message);

    /** While the database still writes: {@code bytes} of its files went up in parts so far (S3 only). */
    default void sent(ExportPlan plan, long bytes) {}

    /** One more data file is uploaded: {@code files} of {@code totalFiles}, {@code bytes} of {@code totalBytes}. */
    default void uploaded(ExportPlan plan, int files, int totalFiles, long bytes, long totalBytes) {
        report(plan, "uploaded " + files + "/" + totalFiles + " files, " + bytes + " of " + totalBytes + " bytes");
    }
}
