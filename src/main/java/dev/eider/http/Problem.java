package dev.eider.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code pointer} (RFC 6901, into the body) and {@code line} (of an
 * NDJSON body) say where the problem is when it is in the request body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String pointer, Long line, Long column) {

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null);
    }

    public Problem at(String pointer, Long line, Long column) {
        return new Problem(type, title, status, detail, pointer, line, column);
    }
}
