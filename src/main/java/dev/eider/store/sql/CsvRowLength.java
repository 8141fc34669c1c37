package dev.eider.store.sql;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes CSV through and measures its longest row, in bytes: DuckDB refuses a row longer than its
 * {@code max_line_size} unless told, and a larger bound for every file would size its read buffers up.
 * A newline inside quotes belongs to its row; a doubled quote inside quotes leaves them and enters them
 * again, so toggling on every quote tracks where rows end.
 */
public final class CsvRowLength extends FilterOutputStream {

    private boolean quoted;
    private long row;
    private long longest;

    public CsvRowLength(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        count((byte) b);
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            count(b[i]);
        }
        out.write(b, off, len);
    }

    private void count(byte b) {
        row++;
        if (b == '"') {
            quoted = !quoted;
        } else if (b == '\n' && !quoted) {
            longest = Math.max(longest, row);
            row = 0;
        }
    }

    /** The longest row written so far, its newline included. */
    public long longest() {
        return Math.max(longest, row);
    }
}
