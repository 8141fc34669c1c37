package dev.eider.http;

import static dev.eider.testing.Problems.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import dev.eider.testing.RawHttp;
import dev.eider.testing.RunningEider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without tokens (the loopback default), a page of another site cannot make a visitor's browser write: a form
 * or a fetch of a plain body needs no CORS preflight, and {@code POST /record} reads any body (second new-user
 * trial, round twelve). Clients that are not browsers send neither header and are not affected.
 */
class CrossSiteIT {

    private static final String RECORD = "{\"id\": 7, \"value\": \"from elsewhere\"}";

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @TempDir
    Path other;

    @Test
    void post_fromAPageOfAnotherSite_is403AndNothingIsStored() {
        Http http = eider.http();

        assertThat(assertProblem(post(http, "/record", "Origin", "http://evil.example"), 403)
                        .path("detail")
                        .asText())
                .contains("http://evil.example")
                .contains("server.tokens");
        assertProblem(post(http, "/v1/tables/records/records", "Sec-Fetch-Site", "cross-site"), 403);
        assertProblem(post(http, "/record", "Origin", "null"), 403);
        assertProblem(post(http, "/v1/exports", "Sec-Fetch-Site", "same-site"), 403);

        assertProblem(http.get("/v1/tables/records/records/7"), 404);
    }

    @Test
    void post_fromEidersOwnPagesOrWithoutBrowserHeaders_isStored() {
        Http http = eider.http();

        assertThat(post(http, "/record", "Origin", "http://127.0.0.1:" + http.port())
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(http, "/record", "Sec-Fetch-Site", "same-origin").statusCode())
                .isEqualTo(200);
        assertThat(http.post("/record", RECORD).statusCode()).isEqualTo(200);
        // Reads are not refused: a page of another site cannot read the answer (no CORS headers).
        assertThat(get(http, "/v1/tables/records/records/7", "Origin", "http://evil.example")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void post_fromAnotherSiteWithAnAuthorizationHeaderButNoTokensConfigured_is403() {
        // No token can be checked, and a browser sends cached Basic credentials on its own (a new-user trial
        // found any Authorization header let the page through).
        Http http = eider.http();
        for (String authorization : new String[] {"Basic Zm9vOmJhcg==", "Bearer made-up", "x"}) {
            HttpResponse<String> r = http.send(http.request("/record")
                    .header("Content-Type", "application/json")
                    .header("Origin", "http://evil.example")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(RECORD)));
            assertProblem(r, 403);
        }
        assertProblem(http.get("/v1/tables/records/records/7"), 404);
    }

    @Test
    void anyRequest_addressedToANameThatIsNotLoopback_is403_soDnsRebindingReachesNothing() {
        int port = eider.http().port();
        for (String host :
                new String[] {"evil.example:" + port, "evil.example", "127.0.0.1.evil.example", "10.0.0.1"}) {
            Map<String, String> headers = Map.of("Host", host, "Sec-Fetch-Site", "same-origin");
            RawHttp.Answer write = RawHttp.send(port, "POST", "/record", json(headers), RECORD.getBytes(UTF_8));
            assertThat(write.status()).as(host).isEqualTo(403);
            assertThat(write.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(write.text()).contains("server.tokens").contains("DNS rebinding");
            assertThat(RawHttp.send(port, "GET", "/v1/tables/records/records", headers, null)
                            .status())
                    .as(host)
                    .isEqualTo(403);
        }
        assertProblem(eider.http().get("/v1/tables/records/records/7"), 404);
    }

    @Test
    void anyRequest_addressedToALoopbackName_isServed() {
        int port = eider.http().port();
        for (String host : new String[] {
            "localhost:" + port,
            "LOCALHOST",
            "localhost.",
            "app.localhost:" + port,
            "127.0.0.1:" + port,
            "127.1.2.3",
            "[::1]:" + port
        }) {
            Map<String, String> headers = Map.of("Host", host, "Origin", "http://" + host);
            assertThat(RawHttp.send(port, "POST", "/record", json(headers), RECORD.getBytes(UTF_8))
                            .status())
                    .as(host)
                    .isEqualTo(200);
        }
    }

    private static Map<String, String> json(Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return all;
    }

    @Test
    void post_fromAnotherSiteWithAToken_isLetThrough() {
        String token = "writer-token-0123456789";
        String yaml = """
          server:
            tokens:
              - {name: writer, token: %s, scopes: [write, read]}
          """.formatted(token);
        try (RunningEider withTokens = RunningEider.start(other, yaml, Map.of())) {
            Http http = withTokens.http().withToken(token);

            assertThat(post(http, "/record", "Origin", "http://evil.example").statusCode())
                    .isEqualTo(200);
            // A page cannot know a token, whatever name it reaches Eider by.
            assertThat(RawHttp.send(
                                    http.port(),
                                    "POST",
                                    "/record",
                                    json(Map.of("Host", "eider.example", "Authorization", "Bearer " + token)),
                                    RECORD.getBytes(UTF_8))
                            .status())
                    .isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(Http http, String path, String header, String value) {
        return http.send(http.request(path)
                .header("Content-Type", "application/json")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(path.equals("/v1/exports") ? "{}" : RECORD)));
    }

    private static HttpResponse<String> get(Http http, String path, String header, String value) {
        return http.send(http.request(path).header(header, value).GET());
    }
}
