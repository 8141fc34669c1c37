package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL going down under running instances: reads and writes answer 503 with Retry-After, not 500. */
class PgDatabaseDownIT {

    @TempDir
    Path dir;

    @Test
    void databaseDown_readsAndWritesAre503WithRetryAfter() throws Exception {
        // A server of its own: the shared one stays up for the other tests.
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres&password=postgres";
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("storage.database", url))) {
            Http http = eider.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);

            pg.close();

            for (HttpResponse<String> r : java.util.List.of(
                    http.get("/v1/tables/records/records/1"),
                    http.get("/v1/tables/records/records"),
                    http.post("/record", "{\"id\": 2, \"value\": \"b\"}"))) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.body()).doesNotContain("org.postgresql", "HikariPool", "Exception");
            }
        } finally {
            pg.close();
        }
    }

    @Test
    void tablesGoneUnderTheService_are503SayingRestart_andReadinessSaysFailed() throws Exception {
        // A new-user trial: PostgreSQL came back re-created, without Eider's tables; writes answered "retry after
        // 1s" for good, GET /v1/tables/records a bare 500, and readiness "failing" (retry) where only a restart
        // (which creates the tables) helps.
        String url = EmbeddedPg.freshDatabase();
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("storage.database", url))) {
            Http http = eider.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            try (Connection c = DriverManager.getConnection(url);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA public CASCADE");
                st.execute("CREATE SCHEMA public");
            }

            for (HttpResponse<String> r : List.of(
                    http.post("/record", "{\"id\": 2, \"value\": \"b\"}"),
                    http.get("/v1/tables/records"),
                    http.get("/v1/tables/records/records/1"),
                    http.get("/v1/tables/records/records"))) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.body()).contains("restart").doesNotContain("org.postgresql", "Exception");
            }
            JsonNode ingest =
                    Jsons.parse(http.get("/health/ready").body()).path("checks").get(0);
            assertThat(ingest.path("name").asText()).isEqualTo("ingest");
            assertThat(ingest.path("status").asText()).as(ingest.toString()).isEqualTo("failed");
            assertThat(ingest.path("detail").asText()).contains("restart");
        }
    }
}
