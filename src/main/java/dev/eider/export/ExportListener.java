package dev.eider.export;

import java.time.Duration;

/** Hears how each export attempt ends (metrics hook). */
public interface ExportListener {

    ExportListener NONE = new ExportListener() {};

    default void succeeded(ExportPlan plan, Duration took) {}

    default void failed(ExportPlan plan, String error, Duration took) {}
}
