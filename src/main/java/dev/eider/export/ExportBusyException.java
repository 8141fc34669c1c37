package dev.eider.export;

/** A table already has an open export; a new one waits until it is done. */
public final class ExportBusyException extends RuntimeException {

    private final long openId;

    public ExportBusyException(String table, long openId) {
        super("table '" + table + "' already has an open export (id " + openId + "); it is retried until it succeeds");
        this.openId = openId;
    }

    public long openId() {
        return openId;
    }
}
