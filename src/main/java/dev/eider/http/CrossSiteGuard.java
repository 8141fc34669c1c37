package dev.eider.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Refuses writes that a page of another site makes a browser send. Without API tokens (the loopback
 * default) nothing else stops them: a form or a {@code fetch} of a plain body is sent cross-site without a
 * CORS preflight, and {@code POST /record} reads any body as JSON, as the original did. Browsers say where
 * a request comes from ({@code Sec-Fetch-Site}, or else {@code Origin}); other clients (curl, SDKs, the
 * original's) send neither and are not affected, and neither is a request with a token, which a page of
 * another site cannot know.
 */
final class CrossSiteGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private CrossSiteGuard() {}

    /** @throws HttpProblem 403 for a write without a token that a browser says comes from another site */
    static void check(String method, HttpFields headers) {
        if (SAFE_METHODS.contains(method) || headers.contains(HttpHeader.AUTHORIZATION)) {
            return;
        }
        String site = headers.get("Sec-Fetch-Site");
        String origin = headers.get(HttpHeader.ORIGIN);
        boolean crossSite = site != null
                ? site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site")
                : origin != null && !sameHost(origin, headers.get(HttpHeader.HOST));
        if (crossSite) {
            throw new HttpProblem(
                    403,
                    "Forbidden",
                    "a page of another site (" + (origin == null ? "Sec-Fetch-Site: " + site : "Origin " + origin)
                            + ") may not write to Eider without an API token; configure server.tokens to let"
                            + " such pages in with one");
        }
    }

    /** Whether the origin names the host (and port) the request was sent to; the scheme may differ behind a proxy. */
    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // "null" (a sandboxed page, a file) or anything else that is not an origin.
            return false;
        }
    }
}
