package dev.eider.http;

import dev.eider.config.ApiToken;
import dev.eider.config.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks bearer tokens. Secrets are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so the time taken depends neither on where a guess goes wrong nor on its length.
 */
public final class Authenticator {

    private final List<ApiToken> tokens;
    private final List<byte[]> digests;

    public Authenticator(List<ApiToken> tokens) {
        this.tokens = List.copyOf(tokens);
        this.digests = tokens.stream().map(t -> sha256(t.secret())).toList();
    }

    /**
     * Throws 401 or 403 unless the {@code Authorization} header grants {@code scope}. Without
     * configured tokens everything is allowed (the server then listens on loopback only).
     */
    public void check(String authorization, Scope scope) {
        if (tokens.isEmpty() || scope == null) {
            return;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpProblem(401, "Unauthorized", "send an API token as 'Authorization: Bearer <token>'");
        }
        byte[] presented = sha256(authorization.substring(7).trim());
        ApiToken match = null;
        for (int i = 0; i < tokens.size(); i++) {
            if (MessageDigest.isEqual(presented, digests.get(i))) {
                match = tokens.get(i);
            }
        }
        if (match == null) {
            throw new HttpProblem(401, "Unauthorized", "the API token is not valid");
        }
        if (!match.allows(scope)) {
            throw new HttpProblem(
                    403,
                    "Forbidden",
                    "token '" + match.name() + "' lacks the '" + scope.name().toLowerCase(java.util.Locale.ROOT)
                            + "' scope");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
