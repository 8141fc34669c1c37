package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderTargetTest {

    @TempDir
    Path dir;

    @Test
    void create_sameContentAgain_adoptsAndDifferentContentConflicts() throws Exception {
        FolderTarget target = new FolderTarget(dir.resolve("root"));
        Path a = Files.writeString(dir.resolve("a"), "first");
        Path b = Files.writeString(dir.resolve("b"), "second");

        assertThat(target.create("t/x.parquet", a, Sha256.of(a))).isEqualTo(ExportTarget.Outcome.CREATED);
        assertThat(target.create("t/x.parquet", a, Sha256.of(a))).isEqualTo(ExportTarget.Outcome.ADOPTED);
        assertThat(target.create("t/x.parquet", b, Sha256.of(b))).isEqualTo(ExportTarget.Outcome.CONFLICT);
        assertThat(target.read("t/x.parquet"))
                .hasValueSatisfying(bytes -> assertThat(new String(bytes)).isEqualTo("first"));
        try (var files = Files.list(dir.resolve("root/t"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.parquet");
        }
    }

    @Test
    void createAndPut_ofContentInMemory_areConditionalAndLeaveOnlyTheObjects() throws Exception {
        FolderTarget target = new FolderTarget(dir.resolve("root"));
        InMemoryObjects.assertCreatedOnceAndReplaced(target);
        try (var files = Files.list(dir.resolve("root/t"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m.json", "_head.json");
        }
    }

    @Test
    void read_keyOutsideRoot_isRefused() {
        FolderTarget target = new FolderTarget(dir.resolve("root"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> target.read("../escape"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(target.read("missing.json")).isEmpty();
    }

    @Test
    void download_ofAMissingFile_saysThereIsNone() {
        // Round fourteen's trial: a restore whose snapshot file was deleted said only the path.
        FolderTarget target = new FolderTarget(dir.resolve("root"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> target.download("t/part-0.parquet", dir.resolve("copy")))
                .hasMessageContaining("t/part-0.parquet")
                .hasMessageContaining("there is no such file");
    }

    @Test
    void abortUnfinished_deletesTheTemporaryFilesOfKilledWritesUnderThePrefixOnly() throws Exception {
        // Round fifteen's trial: kill -9 during a snapshot left an 11 MB temporary file that nothing deleted.
        FolderTarget target = new FolderTarget(dir.resolve("root"));
        Path a = Files.writeString(dir.resolve("a"), "data");
        target.create("t/snapshots/1/part-0.parquet", a, Sha256.of(a));
        Path left = Files.writeString(dir.resolve("root/t/snapshots/1/.part-0.parquet.0c1d.tmp"), "half");
        Path head = Files.writeString(dir.resolve("root/t/._head.json.9f2e.tmp"), "half");
        Path otherTable = Files.createDirectories(dir.resolve("root/u")).resolve(".x.tmp");
        Files.writeString(otherTable, "half");

        target.abortUnfinished("t/");

        assertThat(left).doesNotExist();
        assertThat(head).doesNotExist();
        assertThat(otherTable).exists();
        assertThat(target.read("t/snapshots/1/part-0.parquet")).isPresent();
        target.abortUnfinished("missing/"); // nothing there: nothing to do
    }
}
