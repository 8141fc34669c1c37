package dev.eider.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's own folder under {@code files.work_dir}, {@code spool-<pid>-<process start ms>-…},
 * for uploads on their way to the files target; deleted when closed. A process killed mid-upload
 * leaves its folder behind: the next one to start deletes every spool folder whose process is gone,
 * or whose pid now belongs to a later process (a restarted container's pid 1), and the loose
 * {@code upload-*.tmp} files older than itself that versions before spool folders left.
 */
public final class SpoolFolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpoolFolder.class);
    private static final String PREFIX = "spool-";

    private final Path path;

    private SpoolFolder(Path path) {
        this.path = path;
    }

    public static SpoolFolder create(Path configured) {
        Path base = configured.toAbsolutePath();
        ProcessHandle self = ProcessHandle.current();
        long started = processStart(self);
        try {
            Files.createDirectories(base);
            removeLeftovers(base, started);
            return new SpoolFolder(Files.createTempDirectory(base, PREFIX + self.pid() + "-" + started + "-"));
        } catch (IOException e) {
            throw DiskProblem.unwritable("files.work_dir", base, e);
        }
    }

    public Path path() {
        return path;
    }

    /** When the process started, in epoch milliseconds (0 when the system does not say). */
    static long processStart(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    @Override
    public void close() {
        deleteRecursively(path);
    }

    private static void removeLeftovers(Path base, long started) throws IOException {
        try (Stream<Path> children = Files.list(base)) {
            children.filter(p -> isLeftover(p, started)).forEach(SpoolFolder::deleteRecursively);
        }
    }

    private static boolean isLeftover(Path p, long started) {
        String name = p.getFileName().toString();
        if (name.startsWith("upload-") && name.endsWith(".tmp")) {
            return modified(p).map(m -> m.toMillis() < started).orElse(false);
        }
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = name.split("-");
        try {
            long pid = Long.parseLong(parts[1]);
            long start = Long.parseLong(parts[2]);
            Optional<ProcessHandle> owner = ProcessHandle.of(pid);
            return owner.isEmpty() || processStart(owner.get()) != start;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static Optional<FileTime> modified(Path p) {
        try {
            return Optional.of(Files.getLastModifiedTime(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.atWarn()
                    .addKeyValue("event", "spool_cleanup_failed")
                    .addKeyValue("dir", dir)
                    .addKeyValue("error", e.toString())
                    .log("cannot delete a spool folder; it holds nothing any row names");
        }
    }
}
