package dev.eider.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.Eider;
import dev.eider.config.EiderConfig;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import dev.eider.testing.TestConfig;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document and the router agree, the document is valid OpenAPI 3.1, and /docs serves Swagger UI on it. */
class OpenApiDocumentIT {

    /**
     * Documented for the exports work that is merged separately; remove once {@code /v1/exports} is
     * routed, so that the two sets must then be equal.
     */
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static JsonNode document;
    private static Map<String, Route> routed;

    @BeforeAll
    static void readDocumentAndRoutes(@TempDir Path dir) throws Exception {
        try (InputStream in = OpenApiDocumentIT.class.getResourceAsStream("/openapi.json")) {
            document = Jsons.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        routed = routesOfTheRouter(TestConfig.in(dir));
    }

    @Test
    void document_isValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString(), null, options);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearerAuth");
    }

    @Test
    void everyRef_pointsIntoTheDocument() {
        List<String> refs = document.findValuesAsText("$ref");

        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> assertThat(document.at(ref.substring(1)).isMissingNode())
                .as("dangling %s", ref)
                .isFalse());
    }

    @Test
    void document_andRouter_haveTheSameOperations() {
        Set<String> documented = documentedOperations().keySet();

        assertThat(difference(routed.keySet(), documented))
                .as("routed but not documented")
                .isEmpty();
        assertThat(difference(documented, routed.keySet()))
                .as("documented but not routed")
                .isEmpty();
    }

    @Test
    void document_namesTheScopeEachRouteNeeds() {
        Map<String, JsonNode> documented = documentedOperations();
        routed.forEach((operation, route) -> {
            assertThat(documented).as("documented operations").containsKey(operation);
            JsonNode security = documented.get(operation).path("security");
            if (route.scope() == null) {
                assertThat(security.isArray() && security.isEmpty())
                        .as("%s is public", operation)
                        .isTrue();
            } else {
                String scope = route.scope().name().toLowerCase(Locale.ROOT);
                assertThat(security.findValues("bearerAuth"))
                        .as(operation)
                        .singleElement()
                        .satisfies(s -> assertThat(s.get(0).asText()).isEqualTo(scope));
            }
        });
    }

    @Test
    void everyOperation_isDescribedWithItsPathParametersAndProblems() {
        Pattern parameter = Pattern.compile("\\{([^}]+)}");
        documentedOperations().forEach((operation, op) -> {
            assertThat(op.path("summary").asText()).as(operation).isNotBlank();
            assertThat(op.path("description").asText()).as(operation).isNotBlank();
            assertThat(op.path("operationId").asText()).as(operation).isNotBlank();
            Set<String> declared = new HashSet<>();
            op.path("parameters")
                    .forEach(p -> declared.add(resolve(p).path("name").asText()));
            Matcher m = parameter.matcher(operation);
            while (m.find()) {
                assertThat(declared).as("path parameters of %s", operation).contains(m.group(1));
            }
            if (!op.path("security").isEmpty()) {
                assertThat(resolve(op.path("responses").path("401"))
                                .path("content")
                                .has("application/problem+json"))
                        .as(operation)
                        .isTrue();
                assertThat(resolve(op.path("responses").path("403"))
                                .path("content")
                                .has("application/problem+json"))
                        .as(operation)
                        .isTrue();
            }
        });
    }

    @Test
    void problemSchema_hasTheRfc9457MembersAndWhere() {
        JsonNode problem = document.path("components").path("schemas").path("Problem");

        assertThat(problem.path("required").toString()).contains("type", "title", "status", "detail");
        assertThat(problem.path("properties").has("pointer")).isTrue();
        assertThat(problem.path("properties").has("line")).isTrue();
    }

    @Test
    void server_servesTheDocumentAndSwaggerUiFromTheJar(@TempDir Path dir) {
        try (RunningEider eider = RunningEider.start(dir)) {
            HttpResponse<String> json = eider.http().get("/openapi.json");
            HttpResponse<String> docs = eider.http().get("/docs");
            HttpResponse<String> bundle = eider.http().get("/docs/swagger-ui-bundle.js");
            HttpResponse<String> start = eider.http().get("/docs/eider-docs.js");

            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(Jsons.parse(json.body())).isEqualTo(document);
            assertThat(docs.statusCode()).isEqualTo(200);
            assertThat(docs.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(docs.body()).startsWith("<!doctype html>").contains("/docs/swagger-ui-bundle.js");
            assertThat(bundle.statusCode()).isEqualTo(200);
            assertThat(bundle.body()).contains("SwaggerUIBundle");
            assertThat(start.body()).contains("\"/openapi.json\"");
            assertThat(eider.http().get("/docs/index.html").statusCode()).isEqualTo(404);
        }
    }

    private static Map<String, Route> routesOfTheRouter(EiderConfig config) throws Exception {
        try (Eider eider = Eider.start(config)) {
            Map<String, Route> routes = new TreeMap<>();
            eider.router().routes().forEach(r -> routes.put(r.method() + " " + r.template(), r));
            return routes;
        }
    }

    private static Map<String, JsonNode> documentedOperations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    if (METHODS.contains(op.getKey())) {
                        operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
                    }
                }));
        return operations;
    }

    /** Follows a local {@code $ref} such as {@code #/components/responses/NotFound}. */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (ref.isEmpty()) {
            return node;
        }
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new AssertionError("dangling $ref " + ref);
        }
        return target;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
