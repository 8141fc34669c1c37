package dev.eider.store;

/** The database failed; nothing in the failed operation was committed. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database could not be reached (no connection within the pool's timeout, a connection
     * refused or lost, the server shutting down): a condition to retry, not a fault of the request.
     */
    public boolean databaseUnreachable() {
        // Class 08: connection exception; 57P01-57P03: the server is shutting down or not yet up.
        return causedBy(s -> s instanceof java.sql.SQLTransientConnectionException
                || s instanceof java.sql.SQLNonTransientConnectionException
                || (s.getSQLState() != null
                        && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))));
    }

    /**
     * Whether the database could not write its own files (disk full, file size limit, read-only):
     * DuckDB's "IO Error", PostgreSQL's disk_full (53100) and io_error (58030), or a file of the store's
     * own beside the database (a staged request's rows) failing to write. The operator's to fix, and a
     * request may succeed once they have.
     */
    public boolean databaseCannotWrite() {
        if (getCause() instanceof java.io.IOException) {
            return true;
        }
        return causedBy(s -> "53100".equals(s.getSQLState())
                || "58030".equals(s.getSQLState())
                || String.valueOf(s.getMessage()).startsWith("IO Error")
                || systemCannotWrite(String.valueOf(s.getMessage())));
    }

    /**
     * The system's own words for a file that cannot be written, wherever DuckDB puts them: a failed commit
     * reads "TransactionContext Error: Failed to commit: Could not write file ...: No space left on device".
     */
    private static boolean systemCannotWrite(String message) {
        return SYSTEM_REASONS.stream().anyMatch(message::contains);
    }

    private static final java.util.List<String> SYSTEM_REASONS = java.util.List.of(
            "No space left on device", "Read-only file system", "Disk quota exceeded", "File too large");

    /**
     * The operating system's reason a file could not be written, in its words ("No space left on device"),
     * when the failure carries one: what an operator acts on, without the engine's text or paths around it.
     */
    public java.util.Optional<String> systemReason() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String reason : SYSTEM_REASONS) {
                if (message.contains(reason)) {
                    return java.util.Optional.of(reason);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Whether the database ran short of memory for the work (DuckDB's "Out of Memory Error" within
     * {@code memory_limit}, PostgreSQL's out_of_memory, 53200): the work may succeed when less runs at once.
     */
    public boolean databaseOutOfMemory() {
        return causedBy(s -> "53200".equals(s.getSQLState())
                || String.valueOf(s.getMessage()).startsWith("Out of Memory Error"));
    }

    /**
     * Whether a table Eider made at start is gone from the database (PostgreSQL's undefined_table, 42P01): dropped, or
     * the database re-created under the service. Eider creates its tables at start, so a restart mends it (not a
     * dropped schema, invalid_schema_name: Eider does not create schemas, and a restart would not help).
     */
    public boolean databaseTablesGone() {
        return causedBy(s -> "42P01".equals(s.getSQLState()));
    }

    /** What a client and the readiness check are told when {@link #databaseTablesGone()}. */
    public static final String TABLES_GONE = "a table Eider creates at start is gone from the database (dropped, or the"
            + " database re-created); restart Eider to create its tables again";

    /**
     * Whether DuckDB stopped the database after a fatal error (a failed checkpoint, for one): nothing
     * works on it again until the process restarts and reopens the file.
     */
    public boolean databaseInvalidated() {
        return causedBy(s -> String.valueOf(s.getMessage()).contains("database has been invalidated"));
    }

    private boolean causedBy(java.util.function.Predicate<java.sql.SQLException> test) {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && test.test(s)) {
                return true;
            }
        }
        return false;
    }
}
