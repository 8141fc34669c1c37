package dev.eider.export;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a table's next scheduled export is due, what it writes, and when a failed one is retried. */
final class ExportSchedule {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(2);

    private ExportSchedule() {}

    /**
     * Due one period after the table's last plan, or one period after the service started when the
     * table was never exported; due whether or not data arrived since.
     */
    static boolean isDue(ExportSettings settings, Optional<Instant> lastPlanned, Instant started, Instant now) {
        return !now.isBefore(lastPlanned.orElse(started).plus(settings.every()));
    }

    /**
     * The configured mode, except that a table's first export is a snapshot (so that a reader always
     * starts from one) and every {@code snapshot_every}-th change export is a snapshot instead.
     */
    static Mode mode(ExportSettings settings, int changesSinceSnapshot, boolean hasSnapshot) {
        if (!hasSnapshot) {
            return Mode.SNAPSHOT;
        }
        if (settings.mode() == Mode.CHANGES
                && settings.snapshotEvery() > 0
                && changesSinceSnapshot + 1 >= settings.snapshotEvery()) {
            return Mode.SNAPSHOT;
        }
        return settings.mode();
    }

    /** Exponential backoff after the given number of failed attempts (1, 2, 4 ... seconds, at most two minutes). */
    static Duration retryAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 20));
        Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
