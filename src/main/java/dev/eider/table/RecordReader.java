package dev.eider.table;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reads one JSON object from a parser into a row of a table, converting every field to its
 * column's Java type and refusing anything that does not fit: unknown fields, wrong types, missing
 * keys or required fields, values over the size limit.
 */
public final class RecordReader {

    private final ObjectMapper mapper;
    private final int maxValueBytes;

    public RecordReader(ObjectMapper mapper, int maxValueBytes) {
        this.mapper = mapper;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * Reads the object at the parser's current token (which must be START_OBJECT).
     *
     * @param line where the record sits in its body, for error messages (0 for a single record)
     */
    public Object[] read(JsonParser p, TableDef table, long line) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException("expected a JSON object, found " + describe(p.currentToken()), "", line);
        }
        Object[] values = new Object[table.columns().size()];
        boolean[] seen = new boolean[values.length];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            int i = table.indexOf(field);
            if (i < 0) {
                throw new InvalidRecordException(
                        "unknown column '" + field + "' in table '" + table.name() + "'", "/" + escape(field), line);
            }
            if (seen[i]) {
                throw new InvalidRecordException("field '" + field + "' appears twice", "/" + escape(field), line);
            }
            seen[i] = true;
            if (table.columns().get(i).type().kind() == ColumnType.Kind.FILE) {
                throw new InvalidRecordException(
                        "column '" + field + "' is a file: upload it with PUT /v1/tables/" + table.name()
                                + "/records/{id}/files/" + field + " or as a part of a multipart/form-data POST",
                        "/" + escape(field),
                        line);
            }
            values[i] = value(p, table.columns().get(i), line);
        }
        for (int i = 0; i < values.length; i++) {
            Column c = table.columns().get(i);
            if (values[i] == null && !c.nullable()) {
                String what = i == table.keyIndex() ? "primary key" : "required field";
                throw new InvalidRecordException(
                        (seen[i]
                                ? what + " '" + c.name() + "' must not be null"
                                : "missing " + what + " '" + c.name() + "'"),
                        "/" + escape(c.name()),
                        line);
            }
        }
        return values;
    }

    /** Converts a key taken from a URL path to the key column's type. */
    public static Object keyFromPath(TableDef table, String raw) {
        if (table.key().type().kind() == ColumnType.Kind.STRING) {
            return raw;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("'" + raw + "' is not an int64 key", "/" + table.primaryKey(), 0);
        }
    }

    private Object value(JsonParser p, Column c, long line) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        String pointer = "/" + escape(c.name());
        try {
            return switch (c.type().kind()) {
                case STRING ->
                    checkedText(
                            requireToken(t, JsonToken.VALUE_STRING, c, pointer, line) ? p.getText() : null,
                            c,
                            pointer,
                            line);
                case INT64 -> int64(p, c, pointer, line);
                case FLOAT64 -> {
                    if (!t.isNumeric()) {
                        throw wrongType(c, t, pointer, line);
                    }
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) {
                        throw new InvalidRecordException(
                                "column '" + c.name() + "' is float64 and " + p.getText() + " is out of its range",
                                pointer,
                                line);
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (!t.isBoolean()) {
                        throw wrongType(c, t, pointer, line);
                    }
                    yield t == JsonToken.VALUE_TRUE;
                }
                case TIMESTAMP -> {
                    requireToken(t, JsonToken.VALUE_STRING, c, pointer, line);
                    OffsetDateTime ts = OffsetDateTime.parse(p.getText());
                    requireYear(ts.atZoneSameInstant(ZoneOffset.UTC).getYear(), c, p, pointer, line);
                    yield ts.toInstant().truncatedTo(ChronoUnit.MICROS);
                }
                case DATE -> {
                    requireToken(t, JsonToken.VALUE_STRING, c, pointer, line);
                    LocalDate date = LocalDate.parse(p.getText());
                    requireYear(date.getYear(), c, p, pointer, line);
                    yield date;
                }
                case DECIMAL -> decimal(p, c, pointer, line);
                case JSON -> {
                    JsonNode node = mapper.readTree(p);
                    yield checkedText(mapper.writeValueAsString(node), c, pointer, line);
                }
                case FILE -> throw new IllegalStateException("file columns are refused before their value is read");
            };
        } catch (DateTimeParseException e) {
            String expected = c.type().kind() == ColumnType.Kind.DATE
                    ? "a date such as 2024-05-01"
                    : "an ISO-8601 timestamp with offset such as 2024-05-01T12:00:00Z";
            throw new InvalidRecordException(
                    "column '" + c.name() + "' expects " + expected + ", got '" + p.getText() + "'", pointer, line);
        }
    }

    private static Long int64(JsonParser p, Column c, String pointer, long line) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(c, t, pointer, line);
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidRecordException(
                    "column '" + c.name() + "' is int64 and " + p.getText() + " is out of its range", pointer, line);
        }
        return p.getLongValue();
    }

    private static BigDecimal decimal(JsonParser p, Column c, String pointer, long line) throws IOException {
        JsonToken t = p.currentToken();
        BigDecimal d;
        if (t.isNumeric()) {
            d = p.getDecimalValue();
        } else if (t == JsonToken.VALUE_STRING) {
            try {
                d = new BigDecimal(p.getText());
            } catch (NumberFormatException e) {
                throw new InvalidRecordException(
                        "column '" + c.name() + "' expects a " + c.type() + " number, got '" + p.getText() + "'",
                        pointer,
                        line);
            }
        } else {
            throw wrongType(c, t, pointer, line);
        }
        ColumnType type = c.type();
        BigDecimal exact = d.stripTrailingZeros();
        if (exact.scale() > type.scale() || exact.precision() - exact.scale() > type.precision() - type.scale()) {
            throw new InvalidRecordException(
                    "column '" + c.name() + "' is " + type + " and " + d.toPlainString()
                            + " does not fit without rounding",
                    pointer,
                    line);
        }
        return d.setScale(type.scale());
    }

    /** Refuses text over the size limit, and text with a lone surrogate, which UTF-8 cannot store. */
    private String checkedText(String s, Column c, String pointer, long line) {
        if (s.length() * 3L > maxValueBytes && s.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
            throw new InvalidRecordException(
                    "value of column '" + c.name() + "' is larger than the limit of " + maxValueBytes + " bytes",
                    pointer,
                    line);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new InvalidRecordException(
                        "value of column '" + c.name() + "' holds a lone surrogate (\\u" + Integer.toHexString(ch)
                                + "), which is not Unicode text",
                        pointer,
                        line);
            }
        }
        return s;
    }

    /** Timestamps and dates are kept to the years 0001 to 9999, which every reader of the exports understands. */
    private static void requireYear(int year, Column c, JsonParser p, String pointer, long line) throws IOException {
        if (year < 1 || year > 9999) {
            throw new InvalidRecordException(
                    "column '" + c.name() + "' takes years 0001 to 9999, got '" + p.getText() + "'", pointer, line);
        }
    }

    private static boolean requireToken(JsonToken actual, JsonToken expected, Column c, String pointer, long line) {
        if (actual != expected) {
            throw wrongType(c, actual, pointer, line);
        }
        return true;
    }

    private static InvalidRecordException wrongType(Column c, JsonToken actual, String pointer, long line) {
        return new InvalidRecordException(
                "column '" + c.name() + "' expects " + expected(c.type()) + ", got " + describe(actual), pointer, line);
    }

    private static String expected(ColumnType type) {
        return switch (type.kind()) {
            case STRING -> "a string";
            case INT64 -> "an integer (int64)";
            case FLOAT64 -> "a number";
            case BOOLEAN -> "true or false";
            case TIMESTAMP -> "an ISO-8601 timestamp string";
            case DATE -> "a date string (YYYY-MM-DD)";
            case DECIMAL -> "a " + type + " number";
            case JSON -> "any JSON value";
            case FILE -> "a file (uploaded on its own)";
        };
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
