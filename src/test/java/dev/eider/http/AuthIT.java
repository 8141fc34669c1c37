package dev.eider.http;

import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bearer tokens with scopes from YAML: who may do what, and what stays public. */
class AuthIT {

    private static final String READER = "reader-token-0123456789";
    private static final String WRITER = "writer-token-0123456789";
    private static final String ADMIN = "admin-token-01234567890";

    private static final String YAML = """
      server:
        host: 127.0.0.1
        tokens:
          - {name: reader, token: %s, scopes: [read]}
          - {name: writer, token: %s, scopes: [write]}
          - {name: admin, token: %s, scopes: [admin]}
      """.formatted(READER, WRITER, ADMIN);

    private static final String RECORDS = "/v1/tables/records/records";

    @RegisterExtension
    final EiderServer eider = EiderServer.with(YAML, Map.of());

    @Test
    void noToken_is401OnEveryProtectedRoute() {
        Http http = eider.http();
        assertProblem(http.post("/record", "{\"id\":1,\"value\":\"a\"}"), 401);
        assertProblem(http.post(RECORDS, "{\"id\":1,\"value\":\"a\"}"), 401);
        assertProblem(http.get(RECORDS), 401);
        assertProblem(http.get(RECORDS + "/1"), 401);
        assertProblem(http.put(RECORDS + "/1", "{\"id\":1}"), 401);
        assertProblem(http.delete(RECORDS + "/1"), 401);
        assertProblem(http.get("/v1/tables"), 401);
        JsonNode problem = assertProblem(http.get("/v1/tables/records"), 401);
        assertThat(problem.path("detail").asText()).contains("Bearer");
    }

    @Test
    void wrongToken_is401AndWritesNothing() {
        Http http = eider.http().withToken("not-a-configured-token-at-all");
        assertProblem(http.post("/record", "{\"id\":1,\"value\":\"a\"}"), 401);
        assertProblem(
                http.send(http.request("/v1/tables")
                        .header("Authorization", "Basic " + WRITER)
                        .GET()),
                401);
        assertProblem(http.withToken(WRITER + "x").get("/v1/tables"), 401);

        assertProblem(eider.http().withToken(READER).get(RECORDS + "/1"), 404);
    }

    @Test
    void readToken_readsButCannotWrite() {
        ok(eider.http().withToken(WRITER).post("/record", "{\"id\":1,\"value\":\"a\"}"));
        Http reader = eider.http().withToken(READER);

        assertThat(ok(reader.get(RECORDS + "/1")).path("value").asText()).isEqualTo("a");
        ok(reader.get(RECORDS));
        ok(reader.get("/v1/tables"));
        JsonNode problem = assertProblem(reader.post("/record", "{\"id\":1,\"value\":\"b\"}"), 403);
        assertThat(problem.path("detail").asText())
                .contains("reader")
                .contains("write")
                .doesNotContain(READER);
        assertProblem(reader.put(RECORDS + "/1", "{\"id\":1,\"value\":\"b\"}"), 403);
        assertProblem(reader.delete(RECORDS + "/1"), 403);
        assertThat(ok(reader.get(RECORDS + "/1")).path("value").asText()).isEqualTo("a");
    }

    @Test
    void writeToken_writesButCannotRead() {
        Http writer = eider.http().withToken(WRITER);

        ok(writer.post(RECORDS, "{\"id\":1,\"value\":\"a\"}"));
        ok(writer.put(RECORDS + "/1", "{\"id\":1,\"value\":\"b\"}"));
        assertProblem(writer.get(RECORDS + "/1"), 403);
        assertProblem(writer.get("/v1/tables"), 403);
        ok(writer.delete(RECORDS + "/1"));
    }

    @Test
    void adminToken_mayDoEverything() {
        Http admin = eider.http().withToken(ADMIN);

        ok(admin.post("/record", "{\"id\":1,\"value\":\"a\"}"));
        assertThat(ok(admin.get(RECORDS + "/1")).path("value").asText()).isEqualTo("a");
        ok(admin.get("/v1/tables/records"));
    }

    @Test
    void healthAndDocs_arePublic() {
        Http anonymous = eider.http();

        assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/openapi.json").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/docs").statusCode()).isEqualTo(200);
    }

    @Test
    void tokenComparison_isCaseSensitiveAndSchemeIsNot() {
        assertProblem(
                eider.http()
                        .withToken(READER.toUpperCase(java.util.Locale.ROOT))
                        .get("/v1/tables"),
                401);
        Http http = eider.http();
        ok(http.send(http.request("/v1/tables")
                .header("Authorization", "bearer " + READER)
                .GET()));
    }
}
