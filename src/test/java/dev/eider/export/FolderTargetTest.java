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
}
