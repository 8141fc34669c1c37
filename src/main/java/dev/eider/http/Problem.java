package dev.eider.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.eider.table.Excerpt;

/**
 * An RFC 9457 problem detail. {@code pointer} (RFC 6901, into the body) and {@code line} (of an
 * NDJSON body) say where the problem is when it is in the request body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String pointer, Long line, Long column) {

    /** Details quote input in short excerpts; this bounds any that does not, so no answer grows with the input. */
    static final int MAX_DETAIL = 1000;

    /** A pointer names the body's member names: a long one is cut like any quoted input. */
    static final int MAX_POINTER = 100;

    public Problem {
        detail = Excerpt.of(detail, MAX_DETAIL);
        pointer = Excerpt.of(pointer, MAX_POINTER);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null);
    }

    public Problem at(String pointer, Long line, Long column) {
        return new Problem(type, title, status, detail, pointer, line, column);
    }
}
