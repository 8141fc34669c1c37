package dev.eider.export;

import java.util.Locale;

/**
 * Where an export plan stands. Planned, running and failed plans are open: they will be (re)executed.
 * Skipped (nothing new to write: the plan succeeded without writing anything) and cancelled plans are
 * closed like succeeded ones, but are not part of the table's chain of exports.
 */
public enum ExportState {
    PLANNED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED;

    /** The open states as a SQL list, for conditions such as {@code state IN (...)}. */
    public static final String OPEN_SQL = "('planned', 'running', 'failed')";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOpen() {
        return this == PLANNED || this == RUNNING || this == FAILED;
    }
}
