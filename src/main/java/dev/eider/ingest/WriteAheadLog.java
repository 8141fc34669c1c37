package dev.eider.ingest;

import dev.eider.io.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Eider's write-ahead log: entries appended to segment files and forced to disk before a write is
 * acknowledged. One fdatasync covers every request in a group commit, which is far cheaper than a
 * database commit; the store applies entries in large batches behind it. A segment is deleted once
 * every entry in it is applied.
 *
 * <p>Each entry is {@code [length][crc32c][payload]}. A torn entry at the end (a crash mid-write)
 * was never acknowledged and is cut off when the log is read.
 *
 * <p>Not final: tests override {@link #append} or {@link #sync} to make the log fail.
 */
class WriteAheadLog implements AutoCloseable {

    private static final int HEADER = 8;

    private final Path dir;
    private final long segmentBytes;
    /** Segments by the first sequence they may hold. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();

    private FileChannel current;

    WriteAheadLog(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".log"))
                        .forEach(f -> segments.put(
                                Long.parseLong(f.getFileName().toString().replace(".log", "")), f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the write-ahead log in " + dir, e);
        }
    }

    /** Receives the log's entries one at a time, oldest first. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(byte[] entry) throws IOException;
    }

    /**
     * Streams every complete entry in every segment, oldest first, holding one entry at a time. A
     * torn entry at the end of the newest segment is cut off (its write never finished, so it was
     * never acknowledged); a bad entry anywhere else means acknowledged writes are damaged, and the
     * read fails there (entries before it have been passed on, which is harmless: they were
     * acknowledged).
     */
    synchronized void replay(EntryConsumer consumer) throws IOException {
        Path newest = segments.isEmpty() ? null : segments.lastEntry().getValue();
        for (Path segment : segments.values()) {
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long good = readSegment(ch, consumer);
                if (good < ch.size()) {
                    if (!segment.equals(newest)) {
                        throw new IOException("the write-ahead log segment " + segment + " is damaged at byte " + good
                                + ", before its end; acknowledged writes after that point cannot be read");
                    }
                    ch.truncate(good);
                    ch.force(true);
                }
            }
        }
    }

    /** Every entry at once (for tests: the service streams them with {@link #replay}). */
    List<byte[]> readAll() throws IOException {
        List<byte[]> entries = new ArrayList<>();
        replay(entries::add);
        return entries;
    }

    private static long readSegment(FileChannel ch, EntryConsumer consumer) throws IOException {
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (true) {
            header.clear();
            if (!readFully(ch, header, pos)) {
                return pos;
            }
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 0 || pos + HEADER + length > ch.size()) {
                return pos;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            if (!readFully(ch, payload, pos + HEADER) || crc(payload.array()) != crc) {
                return pos;
            }
            consumer.accept(payload.array());
            pos += HEADER + length;
        }
    }

    /** Fills the buffer from {@code position}; false when the file ends first. */
    private static boolean readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /** Starts a new, empty log whose first entry will hold {@code nextSequence}, dropping all older segments. */
    synchronized void reset(long nextSequence) throws IOException {
        closeCurrent();
        for (Path p : segments.values()) {
            Files.deleteIfExists(p);
        }
        segments.clear();
        open(nextSequence);
    }

    /** Appends an entry whose first request holds {@code firstSequence}; not durable until {@link #sync()}. */
    void append(long firstSequence, byte[] payload) throws IOException {
        append(firstSequence, ByteBuffer.wrap(payload));
    }

    /**
     * Appends one entry made of {@code payload}'s buffers in order, written as they are (a
     * gathering write, no copy into one array); not durable until {@link #sync()}.
     */
    synchronized void append(long firstSequence, ByteBuffer... payload) throws IOException {
        if (current.size() >= segmentBytes) {
            current.force(false);
            closeCurrent();
            open(firstSequence);
        }
        long length = 0;
        CRC32C crc = new CRC32C();
        for (ByteBuffer b : payload) {
            length += b.remaining();
            crc.update(b.duplicate());
        }
        if (length > Integer.MAX_VALUE) {
            throw new IOException("a log entry of " + length + " bytes is larger than the log's limit of 2GB");
        }
        ByteBuffer[] all = new ByteBuffer[payload.length + 1];
        all[0] = ByteBuffer.allocate(HEADER)
                .putInt((int) length)
                .putInt((int) crc.getValue())
                .flip();
        for (int i = 0; i < payload.length; i++) {
            all[i + 1] = payload[i].duplicate();
        }
        long remaining = HEADER + length;
        while (remaining > 0) {
            remaining -= current.write(all);
        }
    }

    /** Forces appended entries to disk (fdatasync). */
    void sync() throws IOException {
        FileChannel ch;
        synchronized (this) {
            ch = current;
        }
        ch.force(false);
    }

    /** Deletes segments whose entries all have sequences at or below {@code applied}. */
    synchronized void truncate(long applied) throws IOException {
        while (segments.size() > 1) {
            Long second = segments.higherKey(segments.firstKey());
            if (second == null || second - 1 > applied) {
                return;
            }
            Files.deleteIfExists(segments.pollFirstEntry().getValue());
        }
    }

    private void open(long firstSequence) throws IOException {
        Path p = dir.resolve(String.format("%020d.log", firstSequence));
        current = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segments.put(firstSequence, p);
        forceDirectory();
    }

    private void forceDirectory() throws IOException {
        // A new segment's directory entry must be durable before entries in it are acknowledged.
        Durable.syncFolder(dir);
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            current.force(false);
        }
        closeCurrent();
    }
}
