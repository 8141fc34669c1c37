package dev.eider.store;

import dev.eider.table.Column;
import dev.eider.table.EpochMicros;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.duckdb.DuckDBAppender;

/**
 * Moves typed values between Java and DuckDB: into appenders and statements, out of result sets.
 * Values are the Java types that {@code RecordReader} produces: Long, Double, Boolean, String,
 * BigDecimal, Instant, LocalDate.
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

    static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        switch (column.type().kind()) {
            case TIMESTAMP -> ps.setObject(index, OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
            default -> ps.setObject(index, value);
        }
    }

    /** Reads the table's columns, in order, from the current row starting at column 1. */
    static Object[] read(ResultSet rs, TableDef table) throws SQLException {
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readOne(rs, i + 1, table.columns().get(i));
        }
        return values;
    }

    private static FileRef fileRef(Object struct) throws SQLException {
        if (struct == null) {
            return null;
        }
        Object[] a = ((Struct) struct).getAttributes();
        return new FileRef(
                (String) a[0],
                ((Number) a[1]).longValue(),
                (String) a[2],
                (String) a[3],
                ((OffsetDateTime) a[4]).toInstant());
    }

    private static Object readOne(ResultSet rs, int index, Column column) throws SQLException {
        Object v = switch (column.type().kind()) {
            case STRING, JSON -> rs.getString(index);
            case INT64 -> rs.getLong(index);
            case FLOAT64 -> rs.getDouble(index);
            case BOOLEAN -> rs.getBoolean(index);
            case TIMESTAMP -> {
                OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case DATE -> rs.getObject(index, LocalDate.class);
            case DECIMAL -> rs.getBigDecimal(index);
            case FILE -> fileRef(rs.getObject(index));
        };
        return rs.wasNull() ? null : v;
    }
}
