package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.Main;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** User columns named like Eider's own ({@code op}, {@code seq}, {@code deleted} ...) keep their names and values. */
class ReservedColumnsIT {

    static final String CONFIG = """
      tables:
        - name: records
          primary_key: id
          columns:
            - {name: id, type: int64}
            - {name: op, type: string}
            - {name: seq, type: int64, nullable: true}
            - {name: deleted, type: boolean, nullable: true}
            - {name: sequence, type: int64, nullable: true}
            - {name: deleted_at, type: string, nullable: true}
      """;

    @TempDir
    Path dir;

    @Test
    void export_userColumnsNamedLikeEiders_keepNamesAndRestore() throws Exception {
        Path target = dir.resolve("bucket");
        Map<String, String> flags = Map.of("export.target", "file:" + target);
        try (RunningEider eider = RunningEider.start(dir.resolve("original"), CONFIG, flags)) {
            Http http = eider.http();
            post(http, "{\"id\": 1, \"op\": \"delete\", \"seq\": 7, \"deleted\": true, \"sequence\": 9}");
            post(http, "{\"id\": 2, \"op\": \"upsert\", \"seq\": null, \"deleted\": false, \"deleted_at\": \"x\"}");
            assertThat(finish(http, start(http, "snapshot")).path("state").asText())
                    .isEqualTo("succeeded");
            post(http, "{\"id\": 3, \"op\": \"delete\", \"seq\": 1, \"deleted\": false}");
            assertThat(http.delete("/v1/tables/records/records/2").statusCode()).isEqualTo(200);
            assertThat(finish(http, start(http, "changes")).path("state").asText())
                    .isEqualTo("succeeded");
        }

        ExportedTable exported = new ExportedTable(new FolderTarget(target), dir.resolve("read"));
        JsonNode head = exported.head("records");
        List<Path> snapshot =
                exported.files(head.path("snapshot").path("manifest").asText());
        List<Path> changes =
                exported.files(head.path("changes").get(0).path("manifest").asText());
        assertThat(columns(snapshot)).containsExactly("id", "op", "seq", "deleted", "sequence", "deleted_at", "_seq");
        assertThat(columns(changes))
                .containsExactly("id", "op", "seq", "deleted", "sequence", "deleted_at", "_seq", "_op");
        assertThat(ExportedTable.query(changes, "SELECT id, op, _op FROM f ORDER BY id"))
                .containsExactly("2|null|delete", "3|delete|upsert");
        JsonNode manifest =
                exported.json(head.path("changes").get(0).path("manifest").asText());
        assertThat(manifest.path("schema").findValuesAsText("name"))
                .containsExactly("id", "op", "seq", "deleted", "sequence", "deleted_at", "_seq", "_op");
        // In change files every column but the key may be null (a delete carries its key alone); snapshots keep
        // the declaration's (a trial found the key marked nullable in a change manifest).
        assertThat(manifest.path("schema").findValuesAsText("nullable"))
                .containsExactly("false", "true", "true", "true", "true", "true", "false", "false");
        assertThat(exported.json(head.path("snapshot").path("manifest").asText())
                        .path("schema")
                        .findValuesAsText("nullable"))
                .containsExactly("false", "false", "true", "true", "true", "true", "false");

        Path restored = Files.createDirectories(dir.resolve("restored"));
        Files.writeString(restored.resolve("eider.yaml"), CONFIG);
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(
                "restore",
                "--config",
                restored.resolve("eider.yaml").toString(),
                "--data",
                restored.resolve("data.db").toString(),
                "--from",
                "file:" + target);
        assertThat(code).as(err.toString()).isZero();
        assertThat(rows(restored)).isEqualTo(rows(dir.resolve("original"))).hasSize(2);
    }

    private static List<String> columns(List<Path> files) {
        return ExportedTable.query(files, "SELECT column_name FROM (DESCRIBE f)");
    }

    private static void post(Http http, String record) {
        var r = http.post("/v1/tables/records/records", record);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static List<String> rows(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data.db"));
                Statement st = c.createStatement()) {
            return ExportedTable.rows(
                    st,
                    "SELECT id, op, seq, deleted, sequence, deleted_at FROM records WHERE NOT _deleted ORDER BY id");
        }
    }
}
