package dev.eider.http;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A complete HTTP answer: status, media type, body and extra headers; or, for a file, a body
 * streamed from {@code stream} (which the server closes).
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, Streamed stream) {

    /** A body too large to hold: {@code length} bytes read from {@code in} as the client takes them. */
    public record Streamed(InputStream in, long length) {}

    public Reply {
        headers = Map.copyOf(headers);
    }

    public Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    public static Reply stream(int status, String contentType, InputStream in, long length) {
        return new Reply(status, contentType, new byte[0], Map.of(), new Streamed(in, length));
    }

    public static Reply json(int status, byte[] body) {
        return new Reply(status, "application/json", body, Map.of());
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public Reply withHeader(String name, String value) {
        java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h, stream);
    }
}
