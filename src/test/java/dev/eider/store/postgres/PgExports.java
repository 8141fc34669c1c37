package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Runs exports over HTTP and reads what they wrote, for the PostgreSQL tests. */
final class PgExports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PgExports() {}

    /** Requests an export of {@code records} and waits until it succeeded; answers its view. */
    static JsonNode run(Http http, String mode) {
        return run(http, "records", mode);
    }

    /** Requests an export of {@code table} and waits until it succeeded; answers its view. */
    static JsonNode run(Http http, String table, String mode) {
        return run(http, table, mode, "succeeded");
    }

    /** Requests an export of {@code table} and waits until it ends in {@code state}; answers its view. */
    static JsonNode run(Http http, String table, String mode, String state) {
        var started = http.post("/v1/exports", "{\"table\": \"" + table + "\", \"mode\": \"" + mode + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = read(started.body()).path("id").asLong();
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            view[0] = read(http.get("/v1/exports/" + id).body());
            assertThat(view[0].path("state").asText()).isEqualTo(state);
        });
        return view[0];
    }

    /** The rows an export wrote, as {@code id|value|_op} (snapshots: {@code id|value}). */
    static List<String> rows(ExportedTable exported, JsonNode view) {
        String manifest = view.path("manifest").asText();
        List<java.nio.file.Path> files = exported.files(manifest);
        if (files.isEmpty()) {
            return List.of();
        }
        String columns = view.path("mode").asText().equals("changes") ? "id, value, _op" : "id, value";
        return ExportedTable.query(files, "SELECT " + columns + " FROM f ORDER BY id");
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
