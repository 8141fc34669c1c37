package dev.eider.config;

import java.util.List;

/**
 * How the HTTP server listens and what it accepts.
 *
 * @param host the address to bind; loopback unless tokens are configured or the operator opts out
 * @param maxBody the largest request body accepted (bulk NDJSON bodies stream through up to this)
 * @param maxValue the largest single string or JSON value in a record
 * @param maxDepth the deepest nesting of JSON accepted in a body
 */
public record ServerConfig(
        String host,
        int port,
        List<ApiToken> tokens,
        boolean allowUnauthenticatedRemote,
        DataSize maxBody,
        DataSize maxValue,
        int maxDepth) {

    public ServerConfig {
        tokens = List.copyOf(tokens);
    }

    public boolean authEnabled() {
        return !tokens.isEmpty();
    }
}
