package dev.eider.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFolderTest {

    @TempDir
    Path base;

    @Test
    void create_removesSpoolsOfDeadOrEarlierProcesses_keepsThisProcesssOwn() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = ProcessHandle.current().pid();
        long started = SpoolFolder.processStart(ProcessHandle.current());
        Path dead = Files.createDirectories(base.resolve("spool-" + done.pid() + "-1-a"));
        Files.writeString(dead.resolve("upload-1.tmp"), "x");
        // Same pid as ours but an earlier start: a restarted container's pid 1.
        Path reused = Files.createDirectories(base.resolve("spool-" + pid + "-" + (started - 60_000) + "-b"));
        Files.writeString(reused.resolve("upload-2.tmp"), "x");
        Path sibling = Files.createDirectories(base.resolve("spool-" + pid + "-" + started + "-c"));
        Path loose = Files.writeString(base.resolve("upload-3.tmp"), "x");
        Files.setLastModifiedTime(loose, FileTime.from(Instant.ofEpochMilli(started - 60_000)));
        Path other = Files.writeString(base.resolve("keep.txt"), "x");

        try (SpoolFolder spool = SpoolFolder.create(base)) {
            assertThat(spool.path()).exists().hasParent(base);
            assertThat(spool.path().getFileName().toString()).startsWith("spool-" + pid + "-" + started + "-");
            assertThat(dead).doesNotExist();
            assertThat(reused).doesNotExist();
            assertThat(loose).doesNotExist();
            assertThat(sibling).as("another Eider in this JVM").exists();
            assertThat(other).exists();
        }
    }

    @Test
    void close_deletesTheFolderAndWhatIsLeftInIt() throws Exception {
        SpoolFolder spool = SpoolFolder.create(base);
        Files.writeString(spool.path().resolve("upload-9.tmp"), "x");
        spool.close();
        assertThat(spool.path()).doesNotExist();
        assertThat(base).exists();
    }
}
