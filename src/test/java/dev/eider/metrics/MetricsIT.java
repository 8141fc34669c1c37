package dev.eider.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.PrometheusText;
import dev.eider.testing.RawHttp;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: Prometheus text whose counters move as records are written and exported. */
class MetricsIT {

    private static final String RECORDS = "/v1/tables/records/records";

    @TempDir
    Path dir;

    @Test
    void metrics_afterWritesAndAnExport_countWritesCommitsAndTheExport() {
        try (RunningEider eider = RunningEider.start(dir)) {
            Http http = eider.http();
            PrometheusText before = scrape(http);
            assertThat(before.value("eider_records_written_total", "table", "records"))
                    .isZero();
            assertThat(before.value("eider_export_freshness_seconds", "table", "records"))
                    .isZero();

            assertThat(http.post(RECORDS, "[{\"id\": 1, \"value\": \"a\"}, {\"id\": 2, \"value\": \"b\"}]")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.post("/record", "{\"id\": 3, \"value\": \"c\"}").statusCode())
                    .isEqualTo(200);

            PrometheusText written = scrape(http);
            assertThat(written.value("eider_records_written_total", "table", "records"))
                    .isEqualTo(3);
            assertThat(written.value(
                            "eider_requests_total",
                            "route",
                            "/v1/tables/{table}/records",
                            "method",
                            "POST",
                            "status",
                            "200"))
                    .isEqualTo(1);
            assertThat(written.value(
                            "http_server_requests_seconds_count", "uri", "/record", "method", "POST", "status", "200"))
                    .isEqualTo(1);
            assertThat(written.declares("http_server_requests_seconds", "histogram"))
                    .isTrue();
            assertThat(written.value("eider_commit_seconds_count")).isEqualTo(2);
            assertThat(written.declares("eider_commit_seconds", "histogram")).isTrue();
            assertThat(written.value("eider_commit_batch_requests_sum")).isEqualTo(2);
            assertThat(written.value("eider_write_queue_depth")).isZero();
            assertThat(written.has("eider_apply_lag_rows")).isTrue();
            assertThat(written.value("eider_storage_bytes", "part", "log")).isPositive();
            assertThat(written.has("jvm_memory_used_bytes")).isTrue();
            assertThat(written.has("process_cpu_usage")).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> scrape(http).value("eider_export_freshness_seconds", "table", "records") > 0);

            long id = Jsons.parse(
                            http.post("/v1/exports", "{\"mode\": \"snapshot\"}").body())
                    .path("id")
                    .asLong();
            awaitState(http, id, "succeeded");

            PrometheusText exported = scrape(http);
            assertThat(exported.value("eider_export_rows_total", "table", "records"))
                    .isEqualTo(3);
            assertThat(exported.value("eider_export_bytes_total", "table", "records"))
                    .isPositive();
            assertThat(exported.value("eider_export_last_success_timestamp_seconds", "table", "records"))
                    .isPositive();
            assertThat(exported.value("eider_export_freshness_seconds", "table", "records"))
                    .isZero();
            assertThat(exported.value(
                            "eider_export_duration_seconds_count", "table", "records", "outcome", "succeeded"))
                    .isEqualTo(1);
            assertThat(exported.value("eider_export_failures_total", "table", "records"))
                    .isZero();
        }
    }

    @Test
    void metrics_exportToAMissingBucket_countsTheFailureAndKeepsFreshnessGrowing() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket");
                RunningEider eider = RunningEider.start(
                        dir,
                        "",
                        Map.of(
                                "export.target", "s3://no-such-bucket/eider",
                                "export.s3.endpoint", s3.endpoint(),
                                "export.s3.path_style", "true"))) {
            Http http = eider.http();
            assertThat(http.post(RECORDS, "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);

            long id = Jsons.parse(http.post("/v1/exports", "{}").body())
                    .path("id")
                    .asLong();
            awaitState(http, id, "failed");

            PrometheusText failed = scrape(http);
            assertThat(failed.value("eider_export_failures_total", "table", "records"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(failed.value("eider_export_duration_seconds_count", "table", "records", "outcome", "failed"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(failed.value("eider_export_rows_total", "table", "records"))
                    .isZero();
            assertThat(failed.value("eider_export_last_success_timestamp_seconds", "table", "records"))
                    .isZero();
            assertThat(failed.value("eider_export_freshness_seconds", "table", "records"))
                    .isPositive();
        }
    }

    @Test
    void metrics_withTokens_needTheReadScope() {
        String yaml = """
          server:
            tokens:
              - {name: reader, token: reader-token-0123456789, scopes: [read]}
          """;
        try (RunningEider eider = RunningEider.start(dir, yaml, Map.of())) {
            assertThat(eider.http().get("/metrics").statusCode()).isEqualTo(401);
            HttpResponse<String> scrape =
                    eider.http().withToken("reader-token-0123456789").get("/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        }
    }

    @Test
    void metrics_requestsWithMadeUpMethods_addOneSeriesNotOneEach() {
        // Any client may send any token as a method: each added series for good (a trial grew /metrics to 1.6MB).
        try (RunningEider eider = RunningEider.start(dir)) {
            int port = eider.http().port();
            for (int i = 0; i < 50; i++) {
                RawHttp.send(port, "M" + i + "X", "/v1/tables", Map.of(), null);
            }

            String text = eider.http().get("/metrics").body();
            assertThat(text).doesNotContain("M7X").contains("method=\"other\"");
            assertThat(scrape(eider.http()).value("eider_requests_total", "method", "other", "route", "unmatched"))
                    .isEqualTo(50);
        }
    }

    private static void awaitState(Http http, long id, String state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Jsons.parse(http.get("/v1/exports/" + id).body())
                        .path("state")
                        .asText()
                        .equals(state));
    }

    private static PrometheusText scrape(Http http) {
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new PrometheusText(r.body());
    }
}
