package dev.eider.export;

import dev.eider.io.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local folder laid out like the bucket. Objects are written to a temporary name in the same
 * folder, flushed to disk, then linked (create) or atomically moved (put) to their final name.
 */
public final class FolderTarget implements ExportTarget {

    private static final String TEMPORARY = ".tmp";

    private final Path root;

    public FolderTarget(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The folder objects go under. */
    Path root() {
        return root;
    }

    @Override
    public Outcome create(String key, Path file, String sha256) {
        return create(key, temp -> Files.copy(file, temp), sha256);
    }

    @Override
    public Outcome create(String key, byte[] content, String sha256) {
        return create(key, temp -> Files.write(temp, content, StandardOpenOption.CREATE_NEW), sha256);
    }

    private Outcome create(String key, Content content, String sha256) {
        Path target = resolve(key);
        Path temp = stage(target, content);
        try {
            // A hard link fails atomically when the name exists: the folder's If-None-Match.
            Files.createLink(target, temp);
            Durable.syncFolder(target.getParent());
            return Outcome.CREATED;
        } catch (FileAlreadyExistsException e) {
            return Sha256.of(target).equals(sha256) ? Outcome.ADOPTED : Outcome.CONFLICT;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void put(String key, Path file, String sha256) {
        put(key, temp -> Files.copy(file, temp));
    }

    @Override
    public void put(String key, byte[] content, String sha256) {
        put(key, temp -> Files.write(temp, content, StandardOpenOption.CREATE_NEW));
    }

    private void put(String key, Content content) {
        Path target = resolve(key);
        Path temp = stage(target, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.syncFolder(target.getParent());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public void download(String key, Path to) {
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.copy(resolve(key), to, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // The system's text is the path alone: say what it means.
            throw new UncheckedIOException("cannot copy " + key + " from " + root + ": there is no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + key + " from " + root, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + key, e);
        }
    }

    /**
     * Deletes the temporary files that writes killed half way left under the prefix (a folder's unfinished
     * uploads): dot names no manifest references, which nothing else would ever delete (a new-user trial found an
     * 11 MB one after {@code kill -9} during a snapshot).
     */
    @Override
    public void abortUnfinished(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(FolderTarget::isTemporary).forEach(FolderTarget::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }

    private static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMPORARY);
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public void close() {}

    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("key '" + key + "' leaves the export folder");
        }
        return p;
    }

    /** Writes an object's content to a new file. */
    private interface Content {
        void writeTo(Path file) throws IOException;
    }

    private static Path stage(Path target, Content content) {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + TEMPORARY);
        try {
            Files.createDirectories(target.getParent());
            content.writeTo(temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            return temp;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot stage " + target, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover temporary file has a dot name that no manifest ever references.
        }
    }
}
