package dev.eider.export;

import java.util.Locale;

/** Where an export plan stands. Planned, running and failed plans are open: they will be (re)executed. */
public enum ExportState {
    PLANNED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOpen() {
        return this != SUCCEEDED;
    }
}
