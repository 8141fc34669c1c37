package dev.eider.http;

import dev.eider.config.Scope;
import java.util.Objects;
import java.util.Set;

/**
 * A method and path template such as {@code /v1/tables/{table}/records/{id}}, the scope a caller
 * needs (null for public routes), the endpoint that answers it, and whether that endpoint never
 * blocks.
 *
 * @param nonBlocking the endpoint only computes and hands work on (no file or database I/O, no
 *     {@code awaitVisible}, no multipart): given a small body read into memory first, it runs on
 *     the thread that received the request, without a hand-off to the request pool. Every other
 *     route, and a larger or chunked body of this one, runs on the pool as a blocking endpoint.
 * @param query the query parameters the route takes; on an API route ({@link #checksQuery()}) any other is
 *     refused before the endpoint runs, so that a filter asked for is never silently ignored
 */
public record Route(
        String method, String template, Scope scope, Endpoint endpoint, boolean nonBlocking, Set<String> query) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(endpoint, "endpoint");
        query = Set.copyOf(query);
    }

    /** A route whose endpoint may block: it runs on the request pool. */
    public Route(String method, String template, Scope scope, Endpoint endpoint) {
        this(method, template, scope, endpoint, false, Set.of());
    }

    /** A route whose endpoint never blocks (see {@link #nonBlocking()}). */
    public static Route nonBlocking(String method, String template, Scope scope, Endpoint endpoint) {
        return new Route(method, template, scope, endpoint, true, Set.of());
    }

    /** This route, taking the query parameters {@code names}. */
    public Route withQuery(String... names) {
        return new Route(method, template, scope, endpoint, nonBlocking, Set.of(names));
    }

    /**
     * Whether other query parameters are refused: on every {@code /v1/} route. {@code POST /record} ignores them as
     * the original did, and the health, docs and status pages take what proxies and browsers add.
     */
    public boolean checksQuery() {
        return template.startsWith("/v1/");
    }
}
