package dev.eider.store;

/**
 * Estimates the heap rows take: a request's, for ingest's memory budget, and a page's, to bound what
 * one read holds. Strings count two bytes per character: that is their size when they are not
 * Latin-1, and otherwise leaves room for their encoded copy (log writer, JSON answer).
 */
public final class HeapSize {

    private static final long ROW = 64;
    private static final long VALUE = 24;
    private static final long STRING = 48;

    private HeapSize() {}

    /** The rows of a part held in memory; a staged part's rows are in the database. */
    public static long of(WriteBatch.Part part) {
        if (!(part instanceof WriteBatch.Rows rows)) {
            return 0;
        }
        long bytes = 0;
        for (Mutation m : rows.mutations()) {
            bytes += of(m.values() == null ? new Object[] {m.key()} : m.values());
        }
        return bytes;
    }

    /** One row's values. */
    public static long of(Object[] values) {
        int strings = 0;
        long chars = 0;
        for (Object v : values) {
            if (v instanceof String s) {
                strings++;
                chars += s.length();
            }
        }
        return ofRow(values.length, strings, chars);
    }

    /** A row of {@code values} values, {@code strings} of them strings of {@code chars} characters in all. */
    public static long ofRow(int values, int strings, long chars) {
        return ROW + 8L * values + VALUE * (values - strings) + STRING * strings + 2L * chars;
    }
}
