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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
        ExportTarget.Outcome outcome;
        try {
            outcome = target.create(key, file, sha256);
        } catch (UncheckedIOException e) {
            throw DiskProblem.unwritable("files.target", root, e);
        }
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
    public Iterator<List<Stored>> list(int pageSize) {
        return new SortedWalk(pageSize);
    }

    /**
     * A depth-first walk of the folder that visits keys in the order S3 lists them: each folder's
     * entries sorted by name, a subfolder's name with its '/', so {@code a-b} comes before
     * {@code a/x} as the full keys do. It holds one folder's names per level, never the whole tree.
     */
    private final class SortedWalk implements Iterator<List<Stored>> {

        private final int pageSize;
        private final Deque<Iterator<Path>> folders = new ArrayDeque<>();
        private List<Stored> page;

        SortedWalk(int pageSize) {
            this.pageSize = pageSize;
            folders.push(entries(root));
        }

        @Override
        public boolean hasNext() {
            if (page == null) {
                page = fill();
            }
            return !page.isEmpty();
        }

        @Override
        public List<Stored> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<Stored> next = page;
            page = null;
            return next;
        }

        private List<Stored> fill() {
            List<Stored> found = new ArrayList<>(pageSize);
            while (found.size() < pageSize && !folders.isEmpty()) {
                Iterator<Path> folder = folders.peek();
                if (!folder.hasNext()) {
                    folders.pop();
                    continue;
                }
                Path p = folder.next();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    folders.push(entries(p));
                } else if (Files.isRegularFile(p)) {
                    stat(root.relativize(p).toString().replace('\\', '/')).ifPresent(found::add);
                }
            }
            return found;
        }

        private static Iterator<Path> entries(Path folder) {
            try (Stream<Path> entries = Files.list(folder)) {
                return entries.map(p -> new Entry(sortName(p), p))
                        .sorted(Comparator.comparing(Entry::sortName))
                        .map(Entry::path)
                        .toList()
                        .iterator();
            } catch (NoSuchFileException e) {
                return Collections.emptyIterator(); // gone since it was seen (or no upload yet)
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder, e);
            }
        }

        private record Entry(String sortName, Path path) {}

        private static String sortName(Path p) {
            String name = p.getFileName().toString();
            return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name;
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
