package dev.eider.config;

import java.util.Objects;
import java.util.Set;

/** A bearer token from configuration and what it may do. {@link #toString} never shows the secret. */
public record ApiToken(String name, String secret, Set<Scope> scopes) {

    public ApiToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        scopes = Set.copyOf(scopes);
        if (secret.length() < 16) {
            throw new IllegalArgumentException("token '" + name + "' is shorter than 16 characters");
        }
    }

    public boolean allows(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }

    @Override
    public String toString() {
        return "ApiToken[name=" + name + ", scopes=" + scopes + "]";
    }
}
