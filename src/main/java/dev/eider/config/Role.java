package dev.eider.config;

import java.util.Locale;

/**
 * What an instance does when several share one PostgreSQL: {@code all} (the default), {@code ingest}
 * (takes writes, runs no exports) or {@code export} (takes no writes, runs the exports of every table
 * whose lease it gets): the S3 synchronization in a process of its own.
 */
public enum Role {
    ALL,
    INGEST,
    EXPORT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean takesWrites() {
        return this != EXPORT;
    }

    public boolean runsExports() {
        return this != INGEST;
    }
}
