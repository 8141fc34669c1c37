package dev.eider.store.postgres;

import dev.eider.store.sql.SqlDialect;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import java.util.Locale;

/** PostgreSQL's names for Eider's column types. JSON stays text: the value is kept as it was sent. */
final class PgDialect implements SqlDialect {

    static final PgDialect INSTANCE = new PgDialect();

    private PgDialect() {}

    @Override
    public String type(ColumnType type) {
        return switch (type.kind()) {
            case STRING, JSON -> "TEXT";
            case INT64 -> "BIGINT";
            case FLOAT64 -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case DECIMAL -> "NUMERIC(" + type.precision() + "," + type.scale() + ")";
            case FILE -> throw new IllegalArgumentException("file columns are not supported on PostgreSQL yet");
        };
    }

    /** Whether a type as {@code format_type} names it holds the column as declared. */
    static boolean sameType(String stored, Column c) {
        String s = stored.toLowerCase(Locale.ROOT);
        return switch (c.type().kind()) {
            case STRING, JSON -> s.equals("text");
            case INT64 -> s.equals("bigint");
            case FLOAT64 -> s.equals("double precision");
            case BOOLEAN -> s.equals("boolean");
            case TIMESTAMP -> s.equals("timestamp with time zone");
            case DATE -> s.equals("date");
            case DECIMAL ->
                s.equals("numeric(" + c.type().precision() + "," + c.type().scale() + ")");
            case FILE -> false;
        };
    }
}
