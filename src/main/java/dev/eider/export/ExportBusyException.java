package dev.eider.export;

/** A table already has an open export; a new one waits until it is done. */
public final class ExportBusyException extends RuntimeException {

    private final long openId;

    public ExportBusyException(String table, long openId) {
        super("table '" + table + "' already has an open export (id " + openId
                + "), which runs, or is retried, until it" + " succeeds or is cancelled (DELETE /v1/exports/" + openId
                + ")");
        this.openId = openId;
    }

    public long openId() {
        return openId;
    }
}
