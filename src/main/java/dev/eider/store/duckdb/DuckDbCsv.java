package dev.eider.store.duckdb;

import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * DuckDB's {@code read_csv} over a file of stored rows as {@code StoredRowCsv} and PostgreSQL's CSV
 * write them: the declared columns typed as the table declares them, an ordinal column and
 * {@code _deleted}; {@code ""} an empty text, nothing a null.
 */
final class DuckDbCsv {

    /** DuckDB's own bound on a CSV row, which a longer row must raise. */
    private static final long DEFAULT_MAX_LINE = 2L << 20;

    private DuckDbCsv() {}

    /**
     * The table function reading {@code csv}, whose longest row is {@code longestRow} bytes; its last
     * two columns are {@code ordinal} (BIGINT) and {@code _deleted}.
     */
    static String read(TableDef table, Path csv, long longestRow, String ordinal) {
        String types = table.columns().stream()
                .map(c -> Sql.literal(c.name()) + ": " + Sql.literal(DuckDbDialect.INSTANCE.type(c.type())))
                .collect(Collectors.joining(", "));
        return "read_csv(" + DuckDbParquet.path(csv)
                + ", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '',"
                // auto_detect = false still sniffs the row end (and lines to skip) from the first rows: a text
                // holding "\r" before any "\n" made it take "\r\n", and the read failed on every attempt.
                + " new_line = '\\n', skip = 0, comment = '',"
                + " allow_quoted_nulls = false, max_line_size = " + Math.max(DEFAULT_MAX_LINE, longestRow + 1)
                + ", columns = {" + types + ", " + Sql.literal(ordinal) + ": 'BIGINT', '_deleted': 'BOOLEAN'})";
    }
}
