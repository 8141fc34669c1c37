package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.Eider;
import dev.eider.testing.Http;
import dev.eider.testing.S3ProxyServer;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service checks its export target at start and reports it in readiness, apart from ingest. */
class TargetReadinessIT {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void ready_withWorkingFolderTarget_reportsTargetOk() throws Exception {
        try (Eider eider = Eider.start(TestConfig.in(dir))) {
            Http http = new Http(eider.port());

            JsonNode target = awaitTargetChecked(http);

            assertThat(target.path("ok").asBoolean()).as(target.toString()).isTrue();
            assertThat(target.path("target").asText()).startsWith("file:");
            assertThat(target.has("error")).isFalse();
        }
    }

    @Test
    void ready_listsEveryCheckTheSameWayAsStatus() throws Exception {
        try (Eider eider = Eider.start(TestConfig.in(dir))) {
            Http http = new Http(eider.port());
            awaitTargetChecked(http);

            JsonNode checks = json.readTree(http.get("/health/ready").body()).path("checks");

            assertThat(checks)
                    .extracting(c -> c.path("name").asText())
                    .containsExactly("ingest", "exports", "export_target");
            assertThat(checks)
                    .allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("ok"));
            assertThat(checks.get(0).path("required").asBoolean()).isTrue();
            assertThat(checks.get(2).path("subject").asText()).startsWith("file:");
            assertThat(checks.get(2).path("detail").asText()).contains("wrote, read back and deleted");
            assertThat(json.readTree(http.get("/v1/status").body()).path("checks"))
                    .isEqualTo(checks);
        }
    }

    @Test
    void ready_withMissingBucket_staysReadyForWritesAndReportsTheTarget() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            Map<String, String> flags = s3.exportFlags("nope/eider");
            try (Eider eider = Eider.start(TestConfig.in(dir, "", flags))) {
                Http http = new Http(eider.port());

                JsonNode target = awaitTargetChecked(http);

                assertThat(target.path("ok").asBoolean()).isFalse();
                assertThat(target.path("error").asText())
                        .isEqualTo("cannot write a probe object in s3://nope/eider: the bucket does not exist at "
                                + s3.endpoint() + "; check export.target");
                assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
                JsonNode check = json.readTree(http.get("/health/ready").body())
                        .path("checks")
                        .get(2);
                assertThat(check.path("name").asText()).isEqualTo("export_target");
                assertThat(check.path("status").asText()).isEqualTo("failing");
                assertThat(check.path("detail").asText())
                        .isEqualTo(target.path("error").asText());
                assertThat(http.post("/record", "{\"id\": 1, \"value\": \"still taken\"}")
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }

    private JsonNode awaitTargetChecked(Http http) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json.readTree(http.get("/health/ready").body()).path("export_target"),
                        t -> !t.path("ok").isNull());
    }
}
