package dev.eider.files;

import dev.eider.export.ExportTarget;
import dev.eider.export.FolderTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Record files in a local folder: works with no setup, as the export folder does. */
final class FolderFileObjects implements FileObjects {

    private final Path root;
    private final FolderTarget target;

    FolderFileObjects(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.target = new FolderTarget(this.root);
    }

    @Override
    public void create(String key, Path file, String sha256) {
        ExportTarget.Outcome outcome = target.create(key, file, sha256);
        if (outcome == ExportTarget.Outcome.CONFLICT) {
            throw new IllegalStateException("an object is already at the fresh key " + key);
        }
    }

    @Override
    public Optional<Stored> stat(String key) {
        try {
            BasicFileAttributes a = Files.readAttributes(resolve(key), BasicFileAttributes.class);
            return Optional.of(new Stored(key, a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key, long first, long last) {
        try {
            FileChannel ch = FileChannel.open(resolve(key));
            ch.position(first);
            return Optional.of(new BoundedInputStream(Channels.newInputStream(ch), last - first + 1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public List<Stored> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> stat(root.relativize(p).toString().replace('\\', '/')))
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public int abortUploadsStartedBefore(Instant before) {
        return 0; // a folder has no multipart uploads; a crashed create leaves a dot file the sweeper lists
    }

    @Override
    public void delete(String key) {
        target.delete(key);
    }

    @Override
    public Optional<URI> presign(String key, String contentType, Duration validFor) {
        return Optional.empty();
    }

    @Override
    public ExportTarget target() {
        return target;
    }

    @Override
    public void close() {}

    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("key '" + key + "' leaves the files folder");
        }
        return p;
    }
}
