package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work folders: one per process (or service) under a shared base, gone when closed or when their process is. */
class WorkFolderTest {

    @TempDir
    Path dir;

    @Test
    void create_twiceOnOneBase_givesSeparateFoldersRemovedWhenClosed() throws IOException {
        Path base = dir.resolve("work");
        WorkFolder a = WorkFolder.create(base);
        WorkFolder b = WorkFolder.create(base);
        Files.writeString(a.path().resolve("export-1"), "a");
        Files.writeString(b.path().resolve("export-1"), "b");

        assertThat(a.path()).isNotEqualTo(b.path()).isAbsolute();
        a.close();
        assertThat(a.path()).doesNotExist();
        assertThat(b.path().resolve("export-1")).hasContent("b");
        b.close();
        assertThat(b.path()).doesNotExist();
    }

    @Test
    void create_leftoverOfDeadProcess_isRemoved() throws IOException {
        Path base = Files.createDirectories(dir.resolve("work"));
        Path leftover = Files.createDirectories(base.resolve("run-" + Integer.MAX_VALUE + "-123"));
        Files.writeString(leftover.resolve("part-0.parquet"), "x");
        Path mine = Files.createDirectories(
                base.resolve("run-" + ProcessHandle.current().pid() + "-456"));
        Path unrelated = Files.createDirectories(base.resolve("notes"));

        try (WorkFolder w = WorkFolder.create(base)) {
            assertThat(leftover).doesNotExist();
            assertThat(mine).exists();
            assertThat(unrelated).exists();
            assertThat(w.path()).exists();
        }
        assertThat(base).as("not created by the folder: kept").exists();
    }
}
