package dev.eider.store.sql;

import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        };
        return rs.wasNull() ? null : v;
    }
}
