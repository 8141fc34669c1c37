package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static dev.eider.export.ExportWait.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eider.Main;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import dev.eider.testing.RunningEider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eider restore} is all or nothing, refuses a source with nothing in it, and leaves no downloads behind. */
class RestoreAtomicIT {

    @TempDir
    Path dir;

    Path source;
    Path restored;
    String headJson;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void exportSnapshotAndChanges() {
        source = dir.resolve("bucket");
        restored = dir.resolve("restored").resolve("data.db");
        try (RunningEider eider =
                RunningEider.start(dir.resolve("original"), "", Map.of("export.target", "file:" + source))) {
            Http http = eider.http();
            for (int i = 1; i <= 5; i++) {
                assertThat(http.post("/record", "{\"id\": " + i + ", \"value\": \"v" + i + "\"}")
                                .statusCode())
                        .isEqualTo(200);
            }
            assertThat(finish(http, start(http, "snapshot")).path("state").asText())
                    .isEqualTo("succeeded");
            assertThat(http.post("/record", "{\"id\": 6, \"value\": \"v6\"}").statusCode())
                    .isEqualTo(200);
            assertThat(finish(http, start(http, "changes")).path("state").asText())
                    .isEqualTo("succeeded");
        }
        headJson = read(source.resolve("records/_head.json"));
    }

    @Test
    void restore_complete_rebuildsAndLeavesNoDownloads() throws IOException {
        assertThat(restore("file:" + source)).as(err.toString()).isZero();
        assertThat(restored).exists();
        assertThat(leftovers()).containsExactlyInAnyOrder("data.db");
    }

    @Test
    void restore_missingFolder_failsAndCreatesNoDatabase() throws IOException {
        assertThat(restore("file:" + dir.resolve("typo"))).isNotZero();
        assertThat(err.toString()).contains("typo");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restore_folderWithoutHead_failsAndCreatesNoDatabase() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertThat(restore("file:" + dir.resolve("empty"))).isNotZero();
        assertThat(err.toString()).contains("_head.json");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restore_changedDataFile_failsOnShaAndCreatesNoDatabase() throws IOException {
        Path part = firstPart("changes");
        Files.write(part, new byte[] {0}, StandardOpenOption.APPEND);
        assertThat(restore("file:" + source)).isNotZero();
        assertThat(err.toString()).contains("SHA-256");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restore_gapBetweenRanges_failsAndCreatesNoDatabase() throws IOException {
        ObjectNode head = (ObjectNode) Jsons.parse(headJson);
        ((ObjectNode) head.path("changes").get(0)).put("from_sequence", 1);
        Files.writeString(source.resolve("records/_head.json"), head.toString());
        assertThat(restore("file:" + source)).isNotZero();
        assertThat(err.toString()).contains("ends at");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restore_missingManifest_failsAndCreatesNoDatabase() throws IOException {
        String manifest =
                Jsons.parse(headJson).path("changes").get(0).path("manifest").asText();
        Files.delete(source.resolve(manifest));
        assertThat(restore("file:" + source)).isNotZero();
        assertThat(err.toString()).contains("no such manifest");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void restore_intoDatabaseWithRows_refusesAndLeavesItAndItsLogAsTheyWere() throws IOException {
        // Trials: the refusal replayed the destination's log first, made a log folder for a database copied without
        // one, and rewrote parts of the database file (it was opened for writing).
        Path original = dir.resolve("original").resolve("data.db");
        Path log = Path.of(original + ".eider-log");
        Map<String, Long> logBefore = sizes(log);
        String before = Sha256.of(original);

        assertThat(restore("file:" + source, original)).isEqualTo(2);
        assertThat(err.toString()).contains("not empty");
        assertThat(sizes(log)).isEqualTo(logBefore);
        assertThat(Sha256.of(original)).as("the database file's SHA-256").isEqualTo(before);

        WorkFolder.deleteRecursively(log);
        assertThat(restore("file:" + source, original)).isEqualTo(2);
        assertThat(log).doesNotExist();
        assertThat(Sha256.of(original)).as("the database file's SHA-256").isEqualTo(before);
    }

    private int restore(String from) {
        return restore(from, restored);
    }

    private int restore(String from, Path into) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("restore", "--from", from, "--data", into.toString());
    }

    /** Everything the restore left beside its destination (recursively, file names relative to that folder). */
    private List<String> leftovers() throws IOException {
        Path folder = restored.getParent();
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString())
                    .filter(name -> !name.startsWith("data.db.eider-log"))
                    .toList();
        }
    }

    /** The folder's files and their sizes. */
    private static Map<String, Long> sizes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.collect(Collectors.toMap(
                    p -> p.getFileName().toString(), p -> p.toFile().length()));
        }
    }

    private Path firstPart(String kind) throws IOException {
        try (Stream<Path> files = Files.walk(source.resolve("records").resolve(kind))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
