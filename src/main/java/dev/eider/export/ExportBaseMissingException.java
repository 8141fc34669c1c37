package dev.eider.export;

/**
 * A change export was asked for where the target does not hold the exports it would extend: {@code
 * export.target} was changed since they were written, or their objects were deleted. A snapshot starts
 * the table over there.
 */
public final class ExportBaseMissingException extends RuntimeException {

    ExportBaseMissingException(String table, ExportPlan newest) {
        super("the export target does not hold the exports of table '" + table + "' up to sequence " + newest.toSeq()
                + " (its _head.json must link " + newest.manifestKey() + ", and the snapshot manifest it links must"
                + " exist): export.target was changed or its objects deleted, and a change export there could not"
                + " be read; export a snapshot first ({\"mode\":\"snapshot\"}, or eider export --mode snapshot),"
                + " which the schedule also does by itself");
    }
}
