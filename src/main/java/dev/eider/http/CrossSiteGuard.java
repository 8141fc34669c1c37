package dev.eider.http;

import dev.eider.config.ServerConfig;
import dev.eider.table.Excerpt;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Keeps web pages out of an Eider that has no API tokens (the loopback default), where nothing else would.
 *
 * <p>Writes: a form or a {@code fetch} of a plain body is sent cross-site without a CORS preflight, and
 * {@code POST /record} reads any body as JSON, as the original did. Browsers say where a request comes from
 * ({@code Sec-Fetch-Site}, or else {@code Origin}); other clients (curl, SDKs, the original's) send neither and
 * are not affected. An {@code Authorization} header is no token here: there are none to check it against, and a
 * browser sends cached credentials on its own.
 *
 * <p>Every request on loopback: a page may rename itself to 127.0.0.1 through a DNS name it controls (DNS
 * rebinding) and then read and write as if same-origin; its requests still carry its own name in {@code Host}.
 * So only loopback names are served. With tokens configured the guard does nothing: a page cannot know one.
 */
final class CrossSiteGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /** For a server with tokens: checks nothing. */
    static final CrossSiteGuard NONE = new CrossSiteGuard(false, false);

    private final boolean writes;
    private final boolean loopbackNames;

    private CrossSiteGuard(boolean writes, boolean loopbackNames) {
        this.writes = writes;
        this.loopbackNames = loopbackNames;
    }

    /** The guard a server so configured needs. */
    static CrossSiteGuard of(ServerConfig config) {
        if (config.authEnabled()) {
            return NONE;
        }
        // Listening beyond loopback without tokens is the operator's explicit choice, under any name.
        return new CrossSiteGuard(true, isLoopback(config.host()));
    }

    /**
     * @throws HttpProblem 403 for a request addressed to a name that is not loopback's, or a write a browser
     *     says comes from another site
     */
    void check(String method, HttpFields headers) {
        String host = headers.get(HttpHeader.HOST);
        if (loopbackNames && host != null && !isLoopbackName(host)) {
            throw new HttpProblem(
                    403,
                    "Forbidden",
                    "Eider without server.tokens answers only requests addressed to localhost, 127.0.0.1 or [::1],"
                            + " not to Host " + Excerpt.quoted(host) + ", so that a web page cannot reach it through"
                            + " a name of its own (DNS rebinding); configure server.tokens to serve other names");
        }
        if (!writes || SAFE_METHODS.contains(method)) {
            return;
        }
        String site = headers.get("Sec-Fetch-Site");
        String origin = headers.get(HttpHeader.ORIGIN);
        boolean crossSite = site != null
                ? site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site")
                : origin != null && !sameHost(origin, host);
        if (crossSite) {
            throw new HttpProblem(
                    403,
                    "Forbidden",
                    "a page of another site ("
                            + (origin == null ? "Sec-Fetch-Site: " + Excerpt.of(site) : "Origin " + Excerpt.of(origin))
                            + ") may not write to Eider; clients that are not browsers (curl, SDKs) send no such"
                            + " header, and with server.tokens configured every write needs a token instead");
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

    /** {@code localhost} and its subdomains (RFC 6761), 127.0.0.0/8 and [::1], with or without a port. */
    static boolean isLoopbackName(String hostHeader) {
        String name = hostHeader.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(1, end).equals("::1") && isPortOrNothing(name.substring(end + 1));
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            if (!isPortOrNothing(name.substring(colon))) {
                return false;
            }
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost")
                || name.endsWith(".localhost")
                || IPV4_LOOPBACK.matcher(name).matches();
    }

    private static boolean isPortOrNothing(String rest) {
        // By hand, not String.matches: every request on loopback comes through here.
        if (rest.isEmpty()) {
            return true;
        }
        if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 6) {
            return false;
        }
        for (int i = 1; i < rest.length(); i++) {
            if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(String bindHost) {
        try {
            return InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
