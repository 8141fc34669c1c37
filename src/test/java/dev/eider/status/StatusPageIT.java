package dev.eider.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.Browser;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import dev.eider.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The status page at {@code /} in headless Chromium: what a person sees, and "Export now". */
class StatusPageIT {

    private static final String TABLES = """
      tables:
        - name: records
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: value, type: string}
        - name: events
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: note, type: string}
      """;

    @TempDir
    Path dir;

    @Test
    void statusPage_showsTablesRowCountsAndExportsAnExportNow() {
        try (RunningEider eider = RunningEider.start(dir, TABLES, Map.of());
                Browser browser = Browser.start()) {
            Http http = eider.http();
            assertThat(http.post(
                                    "/v1/tables/records/records",
                                    "[{\"id\": 1, \"value\": \"a\"}, {\"id\": 2, \"value\": \"b\"}]")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.post("/v1/tables/events/records", "{\"id\": 7, \"note\": \"x\"}")
                            .statusCode())
                    .isEqualTo(200);

            browser.open("http://127.0.0.1:" + eider.port() + "/");

            assertThat(browser.text(By.cssSelector("#tables tr[data-table='records']")))
                    .startsWith("records 2 ");
            assertThat(browser.text(By.cssSelector("#tables tr[data-table='events']")))
                    .startsWith("events 1 ");
            assertThat(browser.text(By.id("target"))).startsWith("file:");
            // The export target's probe (write, read back, delete) ends in the background after the start.
            browser.await(d -> browser.text(By.id("target-check")).equals("writable"));
            assertThat(browser.text(By.cssSelector("#checks tr[data-check='export_target']")))
                    .startsWith("Export target ok file:")
                    .contains("wrote, read back and deleted");
            assertThat(browser.text(By.cssSelector("#checks tr[data-check='ingest']")))
                    .startsWith("Writes ok");
            assertThat(exportRow(browser, "records")).contains("none yet");
            String chart = browser.await(
                    d -> d.findElement(By.cssSelector("#ingest-chart svg")).getAttribute("aria-label"));
            assertThat(chart).startsWith("3 rows written");

            browser.visible(By.cssSelector("button[data-export='records']")).click();

            browser.await(d -> exportRow(browser, "records").contains("succeeded"));
            assertThat(browser.text(By.id("message"))).matches("Export #\\d+ of records started\\.");
            // A table's first export is a snapshot, whatever the schedule's mode.
            assertThat(exportRow(browser, "records"))
                    .contains("snapshot")
                    .contains("records/snapshots/")
                    .contains("up to date");
            assertThat(exportRow(browser, "events")).contains("none yet");
            browser.screenshot("status-page");
        }
    }

    @Test
    void statusPage_withMissingBucket_showsTheTargetNotWritableAndWhy() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            Map<String, String> flags = s3.exportFlags("nope/eider");
            try (RunningEider eider = RunningEider.start(dir, "", flags);
                    Browser browser = Browser.start()) {
                browser.open("http://127.0.0.1:" + eider.port() + "/");

                browser.await(d -> browser.text(By.id("target-check")).equals("not writable"));
                assertThat(browser.text(By.id("target-detail")))
                        .isEqualTo("cannot write a probe object in s3://nope/eider: the bucket does not exist at "
                                + s3.endpoint() + "; check export.target");
                assertThat(browser.text(By.cssSelector("#checks tr[data-check='export_target']")))
                        .startsWith("Export target failing s3://nope/eider");
                // A broken target stops exports, not writes.
                assertThat(browser.text(By.id("summary"))).startsWith("ready");
                browser.screenshot("status-page-target-failing");
            }
        }
    }

    @Test
    void statusPage_withTokens_asksForAReadTokenThenAnAdminTokenToExport() {
        String yaml = """
          server:
            tokens:
              - {name: reader, token: reader-token-0123456789, scopes: [read]}
              - {name: admin, token: admin-token-01234567890, scopes: [admin]}
          """;
        try (RunningEider eider = RunningEider.start(dir, yaml, Map.of());
                Browser browser = Browser.start()) {
            browser.open("http://127.0.0.1:" + eider.port() + "/");

            assertThat(browser.text(By.id("token-title"))).contains("read scope");
            enterToken(browser, "reader-token-0123456789");
            assertThat(browser.text(By.cssSelector("#tables tr[data-table='records']")))
                    .startsWith("records 0 ");

            browser.visible(By.cssSelector("button[data-export='records']")).click();
            assertThat(browser.text(By.id("token-title"))).contains("admin token");
            enterToken(browser, "admin-token-01234567890");

            browser.await(d -> exportRow(browser, "records").contains("succeeded"));
            browser.screenshot("status-page-tokens");
        }
    }

    private static void enterToken(Browser browser, String token) {
        browser.visible(By.id("token-input")).sendKeys(token);
        browser.visible(By.id("token-submit")).click();
    }

    private static String exportRow(Browser browser, String table) {
        return browser.text(By.cssSelector("#exports tr[data-table='" + table + "']"));
    }
}
