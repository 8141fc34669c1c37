package dev.eider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Serves the OpenAPI document and a readable page rendered from it. */
public final class DocsRoutes {

    private final byte[] document;
    private final String page;

    /** Reads the document with a mapper of its own: the request mapper's size and depth limits are for clients. */
    public DocsRoutes() {
        try (InputStream in = DocsRoutes.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            document = in.readAllBytes();
            page = render(new ObjectMapper().readTree(document));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
    }

    List<Route> routes() {
        return List.of(
                new Route(
                        "GET",
                        "/openapi.json",
                        null,
                        ex -> CompletableFuture.completedFuture(Reply.json(200, document))),
                new Route(
                        "GET",
                        "/docs",
                        null,
                        ex -> CompletableFuture.completedFuture(Reply.text(200, "text/html; charset=utf-8", page))));
    }

    private static String render(JsonNode api) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(api.path("info").path("title").asText("Eider API")))
                .append(
                        "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
                                + "code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}h2{margin-top:2rem;border-bottom:1px solid #ddd}"
                                + ".m{display:inline-block;min-width:4.5rem;font-weight:bold}</style></head><body>");
        html.append("<h1>")
                .append(escape(api.path("info").path("title").asText()))
                .append(' ')
                .append(escape(api.path("info").path("version").asText()))
                .append("</h1><p>")
                .append(escape(api.path("info").path("description").asText()))
                .append("</p>")
                .append("<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a></p>");
        for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                JsonNode o = op.getValue();
                html.append("<h2><span class=\"m\">")
                        .append(op.getKey().toUpperCase(java.util.Locale.ROOT))
                        .append("</span><code>")
                        .append(escape(path.getKey()))
                        .append("</code></h2><p><b>")
                        .append(escape(o.path("summary").asText()))
                        .append("</b></p><p>")
                        .append(escape(o.path("description").asText()))
                        .append("</p><ul>");
                for (Map.Entry<String, JsonNode> r : o.path("responses").properties()) {
                    html.append("<li><code>")
                            .append(r.getKey())
                            .append("</code> ")
                            .append(escape(r.getValue().path("description").asText()))
                            .append("</li>");
                }
                html.append("</ul>");
            }
        }
        return html.append("</body></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
