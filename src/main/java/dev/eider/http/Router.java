package dev.eider.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds the route for a method and path, with the path's parameters. */
public final class Router {

    private final List<Route> routes;
    /** Each route's template split once, not on every request. */
    private final List<List<String>> templates;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.templates = this.routes.stream().map(r -> split(r.template())).toList();
    }

    public List<Route> routes() {
        return routes;
    }

    /** A route and the values of its path parameters. */
    record Match(Route route, Map<String, String> params) {}

    /**
     * The route for {@code method} and {@code path}.
     *
     * @param path the path as sent, still percent-encoded, so that an encoded '/' stays inside its segment
     */
    Match match(String method, String path) {
        List<String> segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            Map<String, String> params = bind(templates.get(i), segments);
            if (params == null) {
                continue;
            }
            // HEAD is GET without the body (RFC 9110 9.3.2): Jetty leaves the body out of the answer.
            if (r.method().equals(method)
                    || (method.equals("HEAD") && r.method().equals("GET"))) {
                return new Match(r, params);
            }
            allowed.add(r.method());
            if (r.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", allowed);
            throw new HttpProblem(
                    405,
                    "Method not allowed",
                    method + " is not allowed on " + path + "; allowed: " + allow,
                    Map.of("Allow", allow));
        }
        throw HttpProblem.notFound("no resource at " + path);
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>(4);
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), decodeSegment(path.get(i)));
            } else if (!t.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    /** Percent-decodes one segment of a raw path; unlike a form, a path keeps '+' as it is. */
    private static String decodeSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("the path segment '" + raw + "' is not validly percent-encoded");
        }
    }

    static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }
}
