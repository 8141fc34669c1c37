package dev.eider.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the OpenAPI document and, at {@code /docs}, Swagger UI on it: its files come from the
 * {@code org.webjars:swagger-ui} jar on the class path, so the page works without network access.
 */
public final class DocsRoutes {

    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";

    /** The files /docs may serve and their media types: Swagger UI's own, and Eider's start script. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            "eider-docs.js", "text/javascript; charset=utf-8");

    private final byte[] document;
    private final byte[] page;
    private final String webjar;
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    public DocsRoutes() {
        document = ClasspathResource.read("/openapi.json");
        page = ClasspathResource.read("/docs/index.html");
        webjar = WEBJAR + swaggerUiVersion() + "/";
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/openapi.json", null, ex -> done(Reply.json(200, document))),
                new Route("GET", "/docs", null, ex -> done(new Reply(200, "text/html; charset=utf-8", page, Map.of()))),
                new Route("GET", "/docs/{file}", null, ex -> done(asset(ex.path("file")))));
    }

    private Reply asset(String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            throw HttpProblem.notFound("no documentation file " + name);
        }
        byte[] body = loaded.computeIfAbsent(
                name, n -> ClasspathResource.read(n.startsWith("eider-") ? "/docs/" + n : webjar + n));
        // Swagger UI's files change only with Eider's version.
        return new Reply(200, type, body, Map.of("Cache-Control", "max-age=3600"));
    }

    private static String swaggerUiVersion() {
        Properties p = new Properties();
        try (InputStream in =
                DocsRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
