package dev.eider.table;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;

/**
 * Copies the JSON value at a parser's current token to text, token by token: numbers keep the
 * exact text they were sent with (a tree would turn {@code 1e400} into Infinity and
 * {@code 1e-400} into 0.0), and the copy stops as soon as it is larger than the limit instead of
 * holding the whole value first.
 */
final class JsonCopy {

    private JsonCopy() {}

    /** The value grew past the limit; nothing of it is kept. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("value larger than the limit", null);
        }
    }

    static String copy(JsonFactory factory, JsonParser p, long maxBytes) throws IOException {
        Utf8Bounded out = new Utf8Bounded(maxBytes);
        try (JsonGenerator g = factory.createGenerator(out)) {
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    g.writeNumber(p.getText());
                } else {
                    g.copyCurrentEvent(p);
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && p.nextToken() != null);
        }
        return out.text.toString();
    }

    /** Collects text while counting its UTF-8 size, and refuses to grow past a limit. */
    private static final class Utf8Bounded extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final long maxBytes;
        private long bytes;

        Utf8Bounded(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                // A surrogate pair is four bytes in UTF-8: two for each half.
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            if (bytes > maxBytes) {
                throw new TooLarge();
            }
            text.append(buf, off, len);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
