package dev.eider.config;

import java.time.Duration;
import java.util.Locale;

/**
 * How and when one table is exported.
 *
 * @param mode what a scheduled export writes
 * @param every the schedule
 * @param snapshotEvery with mode {@code changes}: take a snapshot instead after this many change exports
 *     (bounds how many change files a reader applies); 0 never
 * @param compression the Parquet codec (zstd, snappy, gzip, uncompressed)
 * @param targetFileSize a table larger than this is split into several files
 * @param partitionBy a column for Hive-style partitioning, or null
 */
public record ExportSettings(
        Mode mode, Duration every, int snapshotEvery, String compression, DataSize targetFileSize, String partitionBy) {

    /** What an export writes. */
    public enum Mode {
        SNAPSHOT,
        CHANGES;

        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // The JDK's "No enum constant" adds nothing a user can act on.
                throw new IllegalArgumentException("unknown export mode '" + s + "'; allowed: snapshot, changes");
            }
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
