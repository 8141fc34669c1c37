package dev.eider.store.sql;

import dev.eider.table.Column;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads typed values out of JDBC result sets, as the Java types that {@code RecordReader} produces:
 * Long, Double, Boolean, String, BigDecimal, Instant, LocalDate.
 */
public final class RowValues {

    private RowValues() {}

    /** Reads the table's columns, in order, from the current row starting at column 1. */
    public static Object[] read(ResultSet rs, TableDef table) throws SQLException {
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readOne(rs, i + 1, table.columns().get(i));
        }
        return values;
    }

    /** A file reference read as a JDBC struct: key, size, sha256, content_type, uploaded_at. */
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
