package dev.eider.store.sql;

import dev.eider.table.TableDef;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Stored rows as lines of CSV: the declared columns (of a delete, only the key), then the row's
 * position or sequence, then its tombstone flag ({@code t} or {@code f}). An unquoted empty field is
 * NULL; texts, timestamps (ISO-8601 with {@code Z}) and dates are quoted, so {@code ""} stays an empty
 * text. PostgreSQL's {@code COPY ... FROM STDIN (FORMAT csv)} reads it, and so does DuckDB's
 * {@code read_csv} as {@code DuckDbCsv} sets it up.
 *
 * <p>Encoded straight into one reused byte buffer, UTF-8 by hand: a large request's every row passes
 * here on the request's thread, and building a {@code String} per row and encoding it again cost about
 * a third of that thread's time (docs/decisions.md, "A large request is staged as CSV").
 */
public final class StoredRowCsv {

    private final TableDef table;
    private byte[] buf = new byte[256];
    private int len;

    public StoredRowCsv(TableDef table) {
        this.table = table;
    }

    /**
     * Encodes one row (a delete when {@code values} is null), its newline included, and returns its
     * length: its bytes are {@code bytes()[0..length)} until the next call.
     */
    public int encode(Object key, Object[] values, long ordinal) {
        len = 0;
        for (int i = 0; i < table.columns().size(); i++) {
            field(values == null ? (i == table.keyIndex() ? key : null) : values[i]);
            put(',');
        }
        number(ordinal);
        put(',');
        put(values == null ? 't' : 'f');
        put('\n');
        return len;
    }

    /** The buffer the last row was encoded into. */
    public byte[] bytes() {
        return buf;
    }

    private void field(Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof Long l) {
            number(l);
        } else if (v instanceof String s) {
            quoted(s);
        } else if (v instanceof Boolean b) {
            put(b ? 't' : 'f');
        } else if (v instanceof BigDecimal d) {
            ascii(d.toPlainString());
        } else if (v instanceof Double) {
            ascii(v.toString());
        } else if (v instanceof Instant || v instanceof LocalDate) {
            // ISO-8601 (an instant's with Z), quoted as texts are.
            quoted(v.toString());
        } else {
            throw new IllegalArgumentException("a " + v.getClass().getSimpleName() + " cannot be written as CSV");
        }
    }

    private void number(long n) {
        if (n == Long.MIN_VALUE) {
            ascii(Long.toString(n));
            return;
        }
        room(20);
        if (n < 0) {
            buf[len++] = '-';
            n = -n;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte b = buf[i];
            buf[i] = buf[j];
            buf[j] = b;
        }
    }

    private void ascii(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** The text in quotes, a quote doubled, in UTF-8 (a lone surrogate, which readers refuse, as '?'). */
    private void quoted(String s) {
        // At most 3 bytes a char (a surrogate pair's 4 bytes are 2 chars), quotes doubled: 3 bound both.
        room(3 * s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"') {
                    buf[len++] = '"';
                }
                buf[len++] = (byte) c;
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[len++] = (byte) (0xF0 | cp >> 18);
                buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[len++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buf[len++] = '?';
            } else {
                buf[len++] = (byte) (0xE0 | c >> 12);
                buf[len++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[len++] = (byte) (0x80 | c & 0x3F);
            }
        }
        buf[len++] = '"';
    }

    private void put(char c) {
        room(1);
        buf[len++] = (byte) c;
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
