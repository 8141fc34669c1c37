package dev.eider.http;

import java.util.Map;

/** A request the HTTP layer itself refuses, with the status to answer. */
public final class HttpProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public HttpProblem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    /** A problem whose answer carries {@code headers} too (such as {@code Allow} on a 405). */
    HttpProblem(int status, String title, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    static HttpProblem badRequest(String detail) {
        return new HttpProblem(400, "Bad request", detail);
    }

    /** A query parameter this route does not take, or a value it cannot use. */
    static HttpProblem badQuery(String detail) {
        return new HttpProblem(400, "Bad query parameter", detail);
    }

    static HttpProblem notFound(String detail) {
        return new HttpProblem(404, "Not found", detail);
    }
}
