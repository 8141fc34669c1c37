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
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // Class 08: connection exception; 57P01-57P03: the server is shutting down or not yet up.
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database could not write its own files (disk full, file size limit, read-only):
     * DuckDB's "IO Error", PostgreSQL's disk_full (53100) and io_error (58030). The operator's to
     * fix, and a request may succeed once they have.
     */
    public boolean databaseCannotWrite() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                String state = s.getSQLState();
                String message = String.valueOf(s.getMessage());
                if ("53100".equals(state) || "58030".equals(state) || message.startsWith("IO Error")) {
                    return true;
                }
            }
        }
        return false;
    }
}
