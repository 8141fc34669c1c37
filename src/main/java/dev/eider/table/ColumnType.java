package dev.eider.table;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declared type of a column: one of Eider's nine kinds, with precision and scale for decimals.
 */
public record ColumnType(Kind kind, int precision, int scale) {

    /** The kinds of value a column can hold. */
    public enum Kind {
        STRING,
        INT64,
        FLOAT64,
        BOOLEAN,
        TIMESTAMP,
        DATE,
        DECIMAL,
        JSON,
        /** A reference to a file in the files target ({@link FileRef}); set only through the file endpoints. */
        FILE
    }

    private static final Pattern DECIMAL = Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    public static final ColumnType STRING = new ColumnType(Kind.STRING, 0, 0);
    public static final ColumnType INT64 = new ColumnType(Kind.INT64, 0, 0);
    public static final ColumnType FILE = new ColumnType(Kind.FILE, 0, 0);

    /** How DuckDB stores a file reference (and how Parquet exports carry it: a struct). */
    public static final String FILE_SQL_TYPE =
            "STRUCT(\"key\" VARCHAR, size BIGINT, sha256 VARCHAR, content_type VARCHAR, uploaded_at TIMESTAMP WITH TIME ZONE)";

    public ColumnType {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DECIMAL) {
            if (precision < 1 || precision > 38) {
                throw new IllegalArgumentException("decimal precision must be 1..38, got " + precision);
            }
            if (scale < 0 || scale > precision) {
                throw new IllegalArgumentException("decimal scale must be 0.." + precision + ", got " + scale);
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException(kind + " takes no precision or scale");
        }
    }

    /** Parses a declared type such as {@code int64}, {@code string} or {@code decimal(12,2)}. */
    public static ColumnType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DECIMAL.matcher(t);
        if (m.matches()) {
            return new ColumnType(Kind.DECIMAL, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        for (Kind k : Kind.values()) {
            if (k != Kind.DECIMAL && k.name().toLowerCase(Locale.ROOT).equals(t)) {
                return new ColumnType(k, 0, 0);
            }
        }
        throw new IllegalArgumentException("unknown column type '" + text
                + "'; allowed: string, int64, float64, boolean, timestamp, date, decimal(p,s), json, file");
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL
                ? "decimal(" + precision + "," + scale + ")"
                : kind.name().toLowerCase(Locale.ROOT);
    }
}
