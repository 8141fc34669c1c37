package dev.eider.http;

import dev.eider.config.Scope;
import java.util.Objects;

/**
 * A method and path template such as {@code /v1/tables/{table}/records/{id}}, the scope a caller
 * needs (null for public routes), and the endpoint that answers it.
 */
public record Route(String method, String template, Scope scope, Endpoint endpoint) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
