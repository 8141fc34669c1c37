package dev.eider.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Bytes on disk of the database file (and DuckDB's own WAL beside it) and of Eider's write-ahead log. */
record StorageSize(Path dataFile, Path logDir) {

    double database() {
        return size(dataFile) + size(Path.of(dataFile + ".wal"));
    }

    double log() {
        if (!Files.isDirectory(logDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(logDir)) {
            return files.mapToLong(StorageSize::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
