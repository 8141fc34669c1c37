package dev.eider.store.duckdb;

import dev.eider.table.Column;
import dev.eider.table.EpochMicros;
import dev.eider.table.TableDef;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBSingleValueAppender;

/**
 * Moves typed values from Java into DuckDB appenders.
 * Values are the Java types that {@code RecordReader} produces: Long, Double, Boolean, String,
 * BigDecimal, Instant, LocalDate.
 *
 * <p>Two appenders: the driver's {@link DuckDBAppender} for the writer's batches, and its
 * {@link DuckDBSingleValueAppender} for rows by the hundred thousand (a staged request, an export's rows).
 * The first hands every 2,048-row chunk to the table at once; the second lets DuckDB's own appender
 * gather rows before it does, which stages a million rows in about half the time (docs/decisions.md).
 */
final class RowCodec {

    private RowCodec() {}

    /**
     * Appends one stored row: the declared columns (for a delete, when {@code values} is null, only
     * the key), then {@code ordinal} (a sequence, or a position in a staged request) and the
     * tombstone flag.
     */
    static void appendStored(DuckDBAppender appender, TableDef table, Object key, Object[] values, long ordinal)
            throws SQLException {
        appender.beginRow();
        eachColumn(table, key, values, (column, v) -> append(appender, column, v));
        appender.append(ordinal);
        appender.append(values == null);
        appender.endRow();
    }

    /** As {@link #appendStored(DuckDBAppender, TableDef, Object, Object[], long)}, for many rows. */
    @SuppressWarnings("deprecation") // the class comment says why this appender
    static void appendStored(
            DuckDBSingleValueAppender appender, TableDef table, Object key, Object[] values, long ordinal)
            throws SQLException {
        appender.beginRow();
        eachColumn(table, key, values, (column, v) -> append(appender, column, v));
        appender.append(ordinal);
        appender.append(values == null);
        appender.endRow();
    }

    @SuppressWarnings("deprecation")
    private static void append(DuckDBSingleValueAppender appender, Column column, Object value) throws SQLException {
        if (value == null) {
            appender.append((String) null); // the driver appends NULL for a null of any type
            return;
        }
        switch (column.type().kind()) {
            case STRING, JSON -> appender.append((String) value);
            case INT64 -> appender.append(((Long) value).longValue());
            case FLOAT64 -> appender.append(((Double) value).doubleValue());
            case BOOLEAN -> appender.append(((Boolean) value).booleanValue());
            // Into TIMESTAMPTZ as the UTC wall time: DuckDB's appender takes it as that instant, whatever
            // the session's time zone (checked against epoch_us for years 0001 to 9999).
            case TIMESTAMP -> appender.appendLocalDateTime(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
            // No date method: DuckDB casts the ISO text (years 0001 to 9999, as the reader allows).
            case DATE -> appender.append(value.toString());
            case DECIMAL ->
                appender.appendBigDecimal(
                        ((BigDecimal) value).setScale(column.type().scale()));
            case FILE ->
                throw new IllegalStateException("a file reference cannot be appended to column " + column.name());
        }
    }

    @FunctionalInterface
    private interface ColumnValue {
        void append(Column column, Object value) throws SQLException;
    }

    /** The declared columns' values of a stored row; of a delete ({@code values} null), the key and nulls. */
    private static void eachColumn(TableDef table, Object key, Object[] values, ColumnValue append)
            throws SQLException {
        for (int i = 0; i < table.columns().size(); i++) {
            append.append(table.columns().get(i), values == null ? (i == table.keyIndex() ? key : null) : values[i]);
        }
    }

    static void append(DuckDBAppender appender, Column column, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (column.type().kind()) {
            case STRING, JSON -> appender.append((String) value);
            case INT64 -> appender.append(((Long) value).longValue());
            case FLOAT64 -> appender.append(((Double) value).doubleValue());
            case BOOLEAN -> appender.append(((Boolean) value).booleanValue());
            case TIMESTAMP -> appender.appendEpochMicros(EpochMicros.of((Instant) value));
            case DATE -> appender.append((LocalDate) value);
            case DECIMAL ->
                appender.append(((BigDecimal) value).setScale(column.type().scale()));
            case FILE ->
                // References are set by the writer's own UPDATE (with their pending deletions), never appended.
                throw new IllegalStateException("a file reference cannot be appended to column " + column.name());
        }
    }
}
