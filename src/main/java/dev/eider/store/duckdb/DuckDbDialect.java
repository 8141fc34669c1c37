package dev.eider.store.duckdb;

import dev.eider.store.sql.SqlDialect;
import dev.eider.table.ColumnType;

/** DuckDB's names for Eider's column types. */
final class DuckDbDialect implements SqlDialect {

    static final DuckDbDialect INSTANCE = new DuckDbDialect();

    /** A file reference: a struct in DuckDB, and the same struct in exported Parquet. */
    static final String FILE =
            "STRUCT(\"key\" VARCHAR, size BIGINT, sha256 VARCHAR, content_type VARCHAR, uploaded_at TIMESTAMP WITH TIME ZONE)";

    private DuckDbDialect() {}

    @Override
    public String type(ColumnType type) {
        return switch (type.kind()) {
            case STRING, JSON -> "VARCHAR";
            case INT64 -> "BIGINT";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
            case FILE -> FILE;
        };
    }
}
