package dev.eider.export;

/** Hears how an export advances: {@code eider export} prints it; the service only logs. */
@FunctionalInterface
public interface ExportProgress {

    ExportProgress NONE = (plan, message) -> {};

    void report(ExportPlan plan, String message);
}
