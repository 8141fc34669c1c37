package dev.eider.store.duckdb;

import dev.eider.table.Column;
import dev.eider.table.EpochMicros;
import dev.eider.table.TableDef;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import org.duckdb.DuckDBAppender;

/**
 * Moves typed values from Java into the driver's {@link DuckDBAppender}, for the writer's batches.
 * Values are the Java types that {@code RecordReader} produces: Long, Double, Boolean, String,
 * BigDecimal, Instant, LocalDate. (Large requests are staged as CSV instead: {@code DuckDbStage}.)
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
        for (int i = 0; i < table.columns().size(); i++) {
            Object v = values == null ? (i == table.keyIndex() ? key : null) : values[i];
            append(appender, table.columns().get(i), v);
        }
        appender.append(ordinal);
        appender.append(values == null);
        appender.endRow();
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
