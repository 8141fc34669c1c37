package dev.eider.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of this process's own under {@code export.work_dir}, for Parquet files before upload and
 * downloads during a restore; deleted when closed. Folders that a killed process left behind are
 * recognised by the process id in their name and deleted when the next one is made.
 */
public final class WorkFolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkFolder.class);
    private static final String PREFIX = "run-";

    private final Path base;
    private final boolean createdBase;
    private final Path path;

    private WorkFolder(Path base, boolean createdBase, Path path) {
        this.base = base;
        this.createdBase = createdBase;
        this.path = path;
    }

    public static WorkFolder create(Path configured) {
        // Absolute, so that paths DuckDB reports back relate to it whatever the working directory.
        Path base = configured.toAbsolutePath();
        try {
            boolean created = !Files.isDirectory(base);
            Files.createDirectories(base);
            removeLeftovers(base);
            long pid = ProcessHandle.current().pid();
            return new WorkFolder(base, created, Files.createTempDirectory(base, PREFIX + pid + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a work folder in " + base + " (export.work_dir): " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        deleteRecursively(path);
        if (!createdBase) {
            return;
        }
        try {
            Files.deleteIfExists(base);
        } catch (DirectoryNotEmptyException e) {
            // Another process works there too.
        } catch (IOException e) {
            log.atWarn()
                    .addKeyValue("event", "work_dir_cleanup_failed")
                    .addKeyValue("dir", base)
                    .addKeyValue("error", e.toString())
                    .log("cannot clean the work folder");
        }
    }

    private static void removeLeftovers(Path base) throws IOException {
        try (Stream<Path> children = Files.list(base)) {
            children.filter(WorkFolder::ofDeadProcess).forEach(WorkFolder::deleteRecursively);
        }
    }

    private static boolean ofDeadProcess(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = name.split("-");
        try {
            return ProcessHandle.of(Long.parseLong(parts[1])).isEmpty();
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // The walk fails unchecked when another deletion of the folder removed a file first (an export's, on its
            // own thread, while a stop deletes the process's folder).
            log.atWarn()
                    .addKeyValue("event", "work_dir_cleanup_failed")
                    .addKeyValue("dir", dir)
                    .addKeyValue("error", e.toString())
                    .log("cannot clean the work folder");
        }
    }
}
