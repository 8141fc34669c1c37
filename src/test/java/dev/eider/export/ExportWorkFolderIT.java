package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export's local files are deleted on a thread of their own once its manifest is up, and at the end of an attempt
 * that failed: whichever way an export ends, its work folder holds nothing after it.
 */
class ExportWorkFolderIT {

    @TempDir
    Path dir;

    private ExportFixture db;
    private TableDef records;
    private ExportTarget target;
    private ExportService service;

    @BeforeEach
    void setUp() {
        db = new ExportFixture(dir, "");
        records = db.records;
        target = db.target;
        service = db.service(PauseHook.NONE);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void export_succeededOrFailedBeforeItsManifest_leavesNothingInItsWorkFolder() throws IOException {
        write(1L, "a");
        assertThat(service.runNow(records, Mode.CHANGES, ExportProgress.NONE).rows())
                .isOne();
        assertThat(leftInWorkFolder()).isEmpty();

        write(2L, "b");
        assertThat(service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE).rows())
                .isEqualTo(2);
        assertThat(leftInWorkFolder()).isEmpty();

        // Another object at the next plan's manifest key: its attempt fails once its data is up.
        write(3L, "c");
        ExportPlan next = db.exports.plan(records, Mode.CHANGES, Instant.now());
        target.put(next.manifestKey(), "not a manifest".getBytes(StandardCharsets.UTF_8), "-");
        assertThatThrownBy(() -> service.runNow(records, Mode.CHANGES, ExportProgress.NONE))
                .isInstanceOf(ExportBusyException.class);
        assertThat(db.exports.find(next.id()).orElseThrow().error()).contains("a different object is already at");
        assertThat(leftInWorkFolder()).isEmpty();
    }

    @Test
    void export_pausedAfterItsHead_hasDeletedItsFilesAlready() throws Exception {
        write(1L, "a");
        service = db.service(new PauseHook(PauseHook.EXPORTS, "done"));
        Thread exporting = new Thread(() -> {
            try {
                service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
            } catch (IllegalStateException interruptedWhilePaused) {
                // How the attempt ends once the test is done with it.
            }
        });
        exporting.start();
        try {
            // The head is up, and the attempt waits before its end (and before its own deletion of the folder).
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> target.read(ObjectKeys.head("records")).isPresent());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> leftInWorkFolder().isEmpty());
        } finally {
            exporting.interrupt();
            exporting.join();
        }
    }

    @Test
    void export_failingAfterItsManifest_leavesNothingInItsWorkFolder() throws IOException {
        write(1L, "a");
        service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE);
        // The head's key holds a folder that is not empty: the next head cannot replace it.
        Path head = ((FolderTarget) target).root().resolve(ObjectKeys.head("records"));
        Files.delete(head);
        Files.createDirectories(head.resolve("in-the-way"));

        write(2L, "b");
        assertThatThrownBy(() -> service.runNow(records, Mode.SNAPSHOT, ExportProgress.NONE))
                .hasMessageContaining("_head.json");
        assertThat(leftInWorkFolder()).isEmpty();
    }

    /** What is left under the process's work folder (export.work_dir/run-...). */
    private List<Path> leftInWorkFolder() throws IOException {
        Path base = db.config.export().workDir();
        try (Stream<Path> all = Files.walk(base)) {
            return all.filter(p -> base.relativize(p).getNameCount() > 1).toList();
        }
    }

    private void write(long id, String value) {
        db.write(records, id, value);
    }
}
