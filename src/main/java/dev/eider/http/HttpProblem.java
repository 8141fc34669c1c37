package dev.eider.http;

/** A request the HTTP layer itself refuses, with the status to answer. */
public final class HttpProblem extends RuntimeException {

    private final int status;
    private final String title;

    public HttpProblem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
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

    static HttpProblem notFound(String detail) {
        return new HttpProblem(404, "Not found", detail);
    }
}
