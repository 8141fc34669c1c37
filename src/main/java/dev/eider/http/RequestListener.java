package dev.eider.http;

import java.time.Duration;

/** Hears every answered request (metrics hook). */
@FunctionalInterface
public interface RequestListener {

    RequestListener NONE = (method, route, status, took) -> {};

    /**
     * @param route the matched route's template, such as {@code /v1/tables/{table}/records}, or {@code unmatched}
     */
    void answered(String method, String route, int status, Duration took);
}
