package dev.eider.table;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one JSON object from a parser into a row of a table, converting every field to its
 * column's Java type and refusing anything that does not fit: unknown fields, wrong types, missing
 * keys or required fields, values over the size limit. Messages quote client input only through
 * {@link Excerpt}, so no answer grows with the input.
 */
public final class RecordReader {

    /** A key as a lax {@code int} field of pydantic reads it from a string: digits, maybe a sign and a zero fraction. */
    private static final Pattern LAX_INTEGER = Pattern.compile("\\s*[+-]?[0-9]+(\\.0*)?\\s*");

    /** The longest integer token that can be an int64: a sign and 19 digits. */
    private static final int MAX_INT64_TOKEN = 20;

    private final ObjectMapper mapper;
    private final int maxValueBytes;
    private final boolean textMayHoldNul;

    public RecordReader(ObjectMapper mapper, int maxValueBytes) {
        this(mapper, maxValueBytes, true);
    }

    /**
     * @param textMayHoldNul whether the store keeps a NUL character in text (DuckDB does, as the original
     *     service did; PostgreSQL's text cannot, so there such a value is refused before it is acknowledged)
     */
    public RecordReader(ObjectMapper mapper, int maxValueBytes, boolean textMayHoldNul) {
        this.mapper = mapper;
        this.maxValueBytes = maxValueBytes;
        this.textMayHoldNul = textMayHoldNul;
    }

    /**
     * Reads the object at the parser's current token (which must be START_OBJECT).
     *
     * @param line where the record sits in its body, for error messages (0 for a single record)
     */
    public Object[] read(JsonParser p, TableDef table, long line) throws IOException {
        return read(p, table, line, false);
    }

    /**
     * Reads the object as the original service's pydantic model did in its default lax mode: unknown
     * fields are ignored, a field sent twice keeps its last value, and int64 columns also take
     * integer strings such as {@code "204"} and booleans (1 and 0).
     */
    public Object[] readLax(JsonParser p, TableDef table) throws IOException {
        return read(p, table, 0, true);
    }

    private Object[] read(JsonParser p, TableDef table, long line, boolean lax) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRecordException("expected a JSON object, found " + describe(p.currentToken()), "", line);
        }
        Object[] values = new Object[table.columns().size()];
        boolean[] seen = new boolean[values.length];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            int i = table.indexOf(field);
            if (i < 0 && lax) {
                p.skipChildren();
                continue;
            }
            if (i < 0) {
                throw new InvalidRecordException(
                        "unknown column " + Excerpt.quoted(field) + " in table '" + table.name() + "'",
                        "/" + escape(field),
                        line);
            }
            if (seen[i] && !lax) {
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
            values[i] = value(p, table.columns().get(i), line, lax);
        }
        if (values[table.keyIndex()] instanceof String key) {
            String why = StringKeys.whyNot(key);
            if (why != null) {
                throw new InvalidRecordException(
                        "primary key '" + table.primaryKey() + "' " + why, "/" + escape(table.primaryKey()), line);
            }
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

    /** A key given as text (a URL path segment or query parameter) in the key column's type; empty when it cannot be one. */
    public static Optional<Object> keyFromText(TableDef table, String raw) {
        if (table.key().type().kind() == ColumnType.Kind.STRING) {
            return Optional.of(raw);
        }
        try {
            return Optional.of(WholeNumber.parseLong(raw));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Object value(JsonParser p, Column c, long line, boolean lax) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        try {
            return switch (c.type().kind()) {
                case STRING ->
                    checkedText(requireToken(t, JsonToken.VALUE_STRING, c, line) ? p.getText() : null, c, line);
                case INT64 -> int64(p, c, line, lax);
                case FLOAT64 -> {
                    if (!t.isNumeric()) {
                        throw wrongType(c, t, line);
                    }
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) {
                        throw misfit(c, p.getText(), "is out of range", line);
                    }
                    if (d == 0 && nonZero(p.getText())) {
                        throw misfit(c, p.getText(), "is too small for a float64 (it would be stored as 0)", line);
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (!t.isBoolean()) {
                        throw wrongType(c, t, line);
                    }
                    yield t == JsonToken.VALUE_TRUE;
                }
                case TIMESTAMP -> timestamp(p, c, line);
                case DATE -> {
                    requireToken(t, JsonToken.VALUE_STRING, c, line);
                    LocalDate date = LocalDate.parse(p.getText());
                    requireYear(date.getYear(), c, p, line);
                    yield date;
                }
                case DECIMAL -> decimal(p, c, line);
                case JSON -> checkedText(JsonCopy.copy(mapper.getFactory(), p, maxValueBytes), c, line);
                case FILE -> throw new IllegalStateException("file columns are refused before their value is read");
            };
        } catch (DateTimeParseException e) {
            String expected = c.type().kind() == ColumnType.Kind.DATE
                    ? "a date such as 2024-05-01"
                    : "an ISO-8601 timestamp with offset such as 2024-05-01T12:00:00Z";
            throw new InvalidRecordException(
                    "column '" + c.name() + "' expects " + expected + ", got " + Excerpt.quoted(p.getText()),
                    pointer(c),
                    line);
        } catch (JsonCopy.TooLarge e) {
            throw tooLarge(c, line);
        } catch (StreamConstraintsException e) {
            // The parser counts characters; a value with more characters than the limit has more bytes too.
            if (String.valueOf(e.getOriginalMessage()).startsWith("String value length")) {
                throw tooLarge(c, line);
            }
            throw e;
        }
    }

    private static Long int64(JsonParser p, Column c, long line, boolean lax) throws IOException {
        JsonToken t = p.currentToken();
        if (lax && t.isBoolean()) {
            return t == JsonToken.VALUE_TRUE ? 1L : 0L;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return integer(p, c, line);
        }
        String text;
        if (t.isNumeric()) {
            text = p.getText();
        } else if (lax
                && t == JsonToken.VALUE_STRING
                && LAX_INTEGER.matcher(text = p.getText()).matches()) {
            text = text.trim();
        } else {
            throw wrongType(c, t, line);
        }
        try {
            return Numbers.int64(Numbers.parse(text));
        } catch (Numbers.Misfit m) {
            throw misfit(c, text, m.getMessage(), line);
        }
    }

    /**
     * An integer token as an int64 without a BigDecimal (the bulk path reads one per record). JSON
     * integers have no leading zeros, so one of more than 19 digits is out of range before it is
     * parsed; up to that, the parser itself tells a long from a BigInteger.
     */
    private static Long integer(JsonParser p, Column c, long line) throws IOException {
        if (p.getTextLength() > MAX_INT64_TOKEN || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw misfit(c, p.getText(), "is out of range", line);
        }
        return p.getLongValue();
    }

    private static BigDecimal decimal(JsonParser p, Column c, long line) throws IOException {
        JsonToken t = p.currentToken();
        if (!t.isNumeric() && t != JsonToken.VALUE_STRING) {
            throw wrongType(c, t, line);
        }
        String text = p.getText();
        try {
            BigDecimal d = Numbers.parse(text);
            if (d == null) {
                throw new InvalidRecordException(
                        "column '" + c.name() + "' expects a " + c.type() + " number, got " + Excerpt.quoted(text),
                        pointer(c),
                        line);
            }
            return Numbers.decimal(d, c.type());
        } catch (Numbers.Misfit m) {
            throw misfit(c, text, m.getMessage(), line);
        }
    }

    /** Timestamps keep microseconds; a finer fraction is refused like a decimal that would round. */
    private static Instant timestamp(JsonParser p, Column c, long line) throws IOException {
        requireToken(p.currentToken(), JsonToken.VALUE_STRING, c, line);
        OffsetDateTime ts = OffsetDateTime.parse(p.getText());
        requireYear(ts.atZoneSameInstant(ZoneOffset.UTC).getYear(), c, p, line);
        if (ts.getNano() % 1000 != 0) {
            throw misfit(c, p.getText(), "has digits below a microsecond, which would round", line);
        }
        return ts.toInstant();
    }

    private static InvalidRecordException misfit(Column c, String text, String why, long line) {
        return new InvalidRecordException(
                "column '" + c.name() + "' is " + c.type() + " and " + Excerpt.of(text) + " " + why, pointer(c), line);
    }

    private InvalidRecordException tooLarge(Column c, long line) {
        return new InvalidRecordException(
                "value of column '" + c.name() + "' is larger than the limit of " + maxValueBytes
                        + " bytes (setting server.max_value)",
                pointer(c),
                line);
    }

    /**
     * Refuses text over the size limit, text with a lone surrogate, which UTF-8 cannot store, and, where the
     * store cannot keep it, text with a NUL character.
     */
    private String checkedText(String s, Column c, long line) {
        if (s.length() * 3L > maxValueBytes && s.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
            throw tooLarge(c, line);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (ch == 0 && !textMayHoldNul) {
                throw new InvalidRecordException(
                        "value of column '" + c.name()
                                + "' holds a NUL character (\\u0000), which PostgreSQL text cannot store",
                        pointer(c),
                        line);
            } else if (Character.isSurrogate(ch)) {
                throw new InvalidRecordException(
                        "value of column '" + c.name() + "' holds a lone surrogate (\\u" + Integer.toHexString(ch)
                                + "), which is not Unicode text",
                        pointer(c),
                        line);
            }
        }
        return s;
    }

    /** Timestamps and dates are kept to the years 0001 to 9999, which every reader of the exports understands. */
    private static void requireYear(int year, Column c, JsonParser p, long line) throws IOException {
        if (year < 1 || year > 9999) {
            throw new InvalidRecordException(
                    "column '" + c.name() + "' takes years 0001 to 9999, got " + Excerpt.quoted(p.getText()),
                    pointer(c),
                    line);
        }
    }

    private static boolean requireToken(JsonToken actual, JsonToken expected, Column c, long line) {
        if (actual != expected) {
            throw wrongType(c, actual, line);
        }
        return true;
    }

    private static InvalidRecordException wrongType(Column c, JsonToken actual, long line) {
        return new InvalidRecordException(
                "column '" + c.name() + "' expects " + expected(c.type()) + ", got " + describe(actual),
                pointer(c),
                line);
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
            case VALUE_NUMBER_FLOAT -> "a number with a fraction or exponent";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    /** The JSON pointer of a column's field, for the message of a refused value (built only then). */
    private static String pointer(Column c) {
        return "/" + escape(c.name());
    }

    private static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }

    /** Whether a JSON number's digits before its exponent hold anything but zeros. */
    private static boolean nonZero(String number) {
        for (int i = 0; i < number.length(); i++) {
            char ch = number.charAt(i);
            if (ch == 'e' || ch == 'E') {
                return false;
            }
            if (ch >= '1' && ch <= '9') {
                return true;
            }
        }
        return false;
    }
}
