package dev.eider.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete HTTP answer: status, media type, body and extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Reply {
        headers = Map.copyOf(headers);
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
        return new Reply(status, contentType, body, h);
    }
}
