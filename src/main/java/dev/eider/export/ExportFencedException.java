package dev.eider.export;

/**
 * This instance no longer holds the table's export lease (it expired, or another instance took it
 * over): the export state it was about to commit is refused, and the new holder carries on.
 */
public final class ExportFencedException extends RuntimeException {

    public ExportFencedException(String table, String holder, long epoch) {
        super("the export lease of table '" + table + "' held by " + holder + " at epoch " + epoch
                + " expired or was taken over; its new holder finishes the export");
    }
}
