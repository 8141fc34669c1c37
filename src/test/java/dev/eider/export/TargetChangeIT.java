package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static dev.eider.testing.Problems.assertProblem;
import static dev.eider.testing.Tables.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.testing.EiderServer;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change export extends the exports already at the target. Where the target does not hold them
 * ({@code export.target} changed, or its objects deleted), the schedule starts the table over with a
 * snapshot and a requested change export is refused: a head there whose earlier manifests do not exist
 * could be neither read nor restored (a new-user trial found exactly that head).
 */
class TargetChangeIT {

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @Test
    void export_afterTheTargetChanged_isASnapshotTheNewTargetCanBeReadFrom() throws IOException {
        exportedOnce();
        Path other = eider.dir().resolve("other-exports");
        eider.restart(Map.of("export.target", other.toUri().toString()));
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"after the change\"}"));

        JsonNode done = exportAsScheduled(http);

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("mode").asText()).isEqualTo("snapshot");
        assertThat(done.path("rows").asLong()).isEqualTo(4);
        assertHeadLinksOnlyWhatExists(other);
    }

    @Test
    void export_ofChangesRequestedAfterTheTargetChanged_is409SayingToSnapshotFirst() throws IOException {
        exportedOnce();
        Path other = eider.dir().resolve("other-exports");
        eider.restart(Map.of("export.target", other.toUri().toString()));
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"after the change\"}"));

        var refused = http.post("/v1/exports", "{\"mode\":\"changes\"}");

        assertProblem(refused, 409);
        assertThat(refused.body()).contains("export.target", "snapshot");
        assertThat(other.resolve("records/_head.json")).doesNotExist();
    }

    @Test
    void export_ofChangesWhileTheTargetsHeadCannotBeRead_is503AndPlansNothing() throws IOException {
        exportedOnce();
        Path head = eider.dir().resolve("exports/records/_head.json");
        Files.delete(head);
        Files.createDirectory(head); // reading it fails, as an unreachable target's would
        eider.restart();
        Http http = eider.http();

        var refused = http.post("/v1/exports", "{\"mode\":\"changes\"}");

        assertProblem(refused, 503);
        assertThat(refused.body()).contains("records/_head.json", "nothing was planned");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(Jsons.parse(http.get("/v1/exports").body()).path("exports")).hasSize(2);
    }

    @Test
    void export_whereTheHeadIsNotAHead_isASnapshotThatWritesAGoodOne() throws IOException {
        exportedOnce();
        Files.writeString(eider.dir().resolve("exports/records/_head.json"), "not json");
        eider.restart();
        Http http = eider.http();

        JsonNode done = exportAsScheduled(http);

        assertThat(done.path("mode").asText()).as(done.toString()).isEqualTo("snapshot");
        assertHeadLinksOnlyWhatExists(eider.dir().resolve("exports"));
    }

    @Test
    void export_afterTheTargetsObjectsWereDeleted_isASnapshot() throws IOException {
        exportedOnce();
        deleteRecursively(eider.dir().resolve("exports"));
        eider.restart();
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"after the wipe\"}"));

        JsonNode done = exportAsScheduled(http);

        assertThat(done.path("mode").asText()).as(done.toString()).isEqualTo("snapshot");
        assertHeadLinksOnlyWhatExists(eider.dir().resolve("exports"));
    }

    @Test
    void export_ofChangesAfterTheSnapshotsObjectsWereDeleted_is409() throws IOException {
        // Round fifteen's trial: with the head left in place, change exports went on extending a head whose
        // snapshot was gone, and restore refused it.
        exportedOnce();
        deleteRecursively(eider.dir().resolve("exports/records/snapshots"));
        eider.restart();
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"after the deletion\"}"));

        assertProblem(http.post("/v1/exports", "{\"mode\":\"changes\"}"), 409);
        JsonNode done = exportAsScheduled(http);

        assertThat(done.path("mode").asText()).as(done.toString()).isEqualTo("snapshot");
        assertHeadLinksOnlyWhatExists(eider.dir().resolve("exports"));
    }

    @Test
    void snapshot_ofAnUnchangedTableAfterTheTargetChanged_isWrittenThere() throws IOException {
        exportedOnce();
        // Unchanged since this snapshot: at the old target a second one would be skipped.
        assertThat(finish(eider.http(), start(eider.http(), "snapshot"))
                        .path("state")
                        .asText())
                .isEqualTo("succeeded");
        Path other = eider.dir().resolve("other-exports");
        eider.restart(Map.of("export.target", other.toUri().toString()));
        Http http = eider.http();

        JsonNode done = finish(http, start(http, "snapshot"));

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("rows").asLong()).isEqualTo(3);
        assertHeadLinksOnlyWhatExists(other);
    }

    @Test
    void export_whileTheTargetStillHoldsItsExports_staysAChangeExport() throws IOException {
        exportedOnce();
        eider.restart();
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"later\"}"));

        JsonNode done = exportAsScheduled(http);

        assertThat(done.path("mode").asText()).as(done.toString()).isEqualTo("changes");
        assertHeadLinksOnlyWhatExists(eider.dir().resolve("exports"));
    }

    @Test
    void changeExportLeftOpen_whenTheTargetChanged_givesWayToASnapshotThere() throws IOException {
        // A new-user trial: an export left open (failing) at one target was finished into the next after a restart;
        // a change export there would link a snapshot that target does not hold.
        exportedOnce();
        Path exports = eider.dir().resolve("exports");
        deleteRecursively(exports.resolve("records/changes"));
        Files.writeString(exports.resolve("records/changes"), "a file where the folder must be");
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":7,\"value\":\"after the change\"}"));
        long open = start(http, "changes");
        assertThat(finish(http, open).path("state").asText()).isEqualTo("failed");

        Path other = eider.dir().resolve("other-exports");
        eider.restart(Map.of("export.target", other.toUri().toString()));
        http = eider.http();

        JsonNode left = finish(http, open);
        assertThat(left.path("state").asText()).as(left.toString()).isEqualTo("cancelled");
        assertThat(left.path("error").asText()).contains("export.target", "snapshot");
        JsonNode done = exportAsScheduled(http);
        assertThat(done.path("mode").asText()).as(done.toString()).isEqualTo("snapshot");
        assertThat(done.path("rows").asLong()).isEqualTo(4);
        assertHeadLinksOnlyWhatExists(other);
    }

    /** An export without a mode (as the schedule picks it), run to its end. */
    private static JsonNode exportAsScheduled(Http http) {
        return finish(
                http,
                Jsons.parse(http.post("/v1/exports", "{}").body()).path("id").asLong());
    }

    /** Two records, a snapshot of them, a third record and a change export of it, at the default target. */
    private void exportedOnce() {
        Http http = eider.http();
        ok(http.post("/record", "{\"id\":1,\"value\":\"a\"}"));
        ok(http.post("/record", "{\"id\":2,\"value\":\"b\"}"));
        assertThat(finish(http, start(http, "snapshot")).path("state").asText()).isEqualTo("succeeded");
        ok(http.post("/record", "{\"id\":3,\"value\":\"c\"}"));
        assertThat(finish(http, start(http, "changes")).path("state").asText()).isEqualTo("succeeded");
    }

    private static void assertHeadLinksOnlyWhatExists(Path target) throws IOException {
        JsonNode head = Jsons.parse(Files.readString(target.resolve("records/_head.json")));
        assertThat(head.path("snapshot").isObject()).as(head.toString()).isTrue();
        assertThat(target.resolve(head.path("snapshot").path("manifest").asText()))
                .exists();
        for (JsonNode change : head.path("changes")) {
            assertThat(target.resolve(change.path("manifest").asText())).exists();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
