package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.Main;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An export with nothing new succeeds and writes nothing, however often it runs. */
class IdleExportIT {

    /** A second table beside {@code records}. */
    private static final String EVENTS = """
            tables:
              - name: events
                primary_key: id
                columns:
                  - {name: id, type: int64}
            """;

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @TempDir
    Path other;

    @Test
    void post_exportsOfAnIdleTable_areSkippedAndWriteNoObject() throws IOException {
        Http http = eider.http();
        assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                .isEqualTo(200);
        JsonNode first = finish(http, start(http, "snapshot"));
        assertThat(first.path("state").asText()).isEqualTo("succeeded");
        List<Path> afterFirst = objects(eider.dir().resolve("exports"));

        for (String mode : List.of("changes", "changes", "snapshot", "snapshot")) {
            JsonNode idle = finish(http, start(http, mode));
            assertThat(idle.path("state").asText()).as(mode + ": " + idle).isEqualTo("skipped");
            assertThat(idle.path("rows").asLong()).isZero();
            assertThat(idle.path("objects")).isEmpty();
            assertThat(idle.path("manifest").isNull()).as("no manifest").isTrue();
        }
        assertThat(objects(eider.dir().resolve("exports"))).isEqualTo(afterFirst);
    }

    @Test
    void post_firstExportWithoutMode_isASnapshot() {
        Http http = eider.http();
        assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                .isEqualTo(200);
        var r = http.post("/v1/exports", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode done = finish(http, Jsons.parse(r.body()).path("id").asLong());
        assertThat(done.path("mode").asText()).isEqualTo("snapshot");
        assertThat(done.path("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void post_withoutTableWhileSeveralExist_is400NamingThem_andATableThatIsNotAString_is400() {
        try (RunningEider two = RunningEider.start(other, EVENTS, Map.of())) {
            var none = two.http().post("/v1/exports", "{}");
            assertThat(none.statusCode()).as(none.body()).isEqualTo(400);
            assertThat(Jsons.parse(none.body()).path("detail").asText())
                    .contains("events, records")
                    .contains("\"table\"");

            var array = two.http().post("/v1/exports", "{\"table\": [\"records\"]}");
            assertThat(array.statusCode()).as(array.body()).isEqualTo(400);
            assertThat(Jsons.parse(array.body()).path("detail").asText()).contains("string");
        }
    }

    @Test
    void snapshot_ofATableUnchangedWhileAnotherChanged_isSkipped() throws IOException {
        // Round fifteen's trial: sequences count every table's writes, so a write to another table made the
        // idle table's next snapshot copy it all again.
        try (RunningEider two = RunningEider.start(other, EVENTS, Map.of())) {
            Http http = two.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            assertThat(finish(http, start(http, "snapshot")).path("state").asText())
                    .isEqualTo("succeeded");
            assertThat(http.post("/v1/tables/events/records", "{\"id\": 1}").statusCode())
                    .isEqualTo(200);

            JsonNode idle = finish(http, start(http, "snapshot"));
            assertThat(idle.path("state").asText()).as(idle.toString()).isEqualTo("skipped");

            assertThat(http.delete("/v1/tables/records/records/1").statusCode()).isEqualTo(200);
            JsonNode changed = finish(http, start(http, "snapshot"));
            assertThat(changed.path("state").asText()).as(changed.toString()).isEqualTo("succeeded");
            assertThat(changed.path("rows").asLong()).isZero();
        }
    }

    @Test
    void exportCommand_onIdleTable_exitsZeroEveryTime() {
        String[] args = {
            "export", "--data", other.resolve("data.db").toString(), "--export-target", "file:" + other.resolve("out")
        };
        for (int i = 0; i < 3; i++) {
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute(args)).as("run %d: %s", i, err).isZero();
        }
    }

    @Test
    void schedule_onIdleTable_neverFails() {
        try (RunningEider scheduled = RunningEider.start(other, "export: {every: 1s}\n", Map.of())) {
            Http http = scheduled.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"a\"}").statusCode())
                    .isEqualTo(200);
            JsonNode exports = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> Jsons.parse(http.get("/v1/exports").body()).path("exports"),
                            e -> e.size() >= 4
                                    && !e.get(0).path("state").asText().equals("planned")
                                    && !e.get(0).path("state").asText().equals("running"));
            for (JsonNode e : exports) {
                assertThat(e.path("state").asText()).as(e.toString()).isIn("succeeded", "skipped", "running");
            }
        }
    }

    private static List<Path> objects(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
