package dev.eider.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the Parquet files of an export while the database still writes them: a thread watches the
 * folder and sends every full part as soon as a file has grown by one, so that writing and uploading
 * overlap. Parquet files are only ever appended to, so bytes once there stay as they are; each file is
 * still read once more at the end, while its last part travels, and compared (by CRC32C, a tenth of
 * SHA-256's CPU) with what was sent before it may become visible. Files that never reach one part go up
 * whole, the usual way, after the file list is recorded. Nothing becomes visible at the target before
 * {@link #complete}: the file list and their SHA-256 are recorded first, while the last part travels.
 *
 * <p>Memory: one buffer of one part, shared by every file (parts go up one at a time) and released once
 * {@link #finish} is done and the last part sent. An upload not completed is aborted by {@link #close}, whatever
 * failed.
 */
final class PartStreamer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartStreamer.class);
    /** When the folder is first looked at: most change exports are written by then, and need no watcher. */
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    /**
     * How often the watcher then looks for grown files. A part is 5 MiB or more, which DuckDB writes in about
     * 300 ms here: looking every 10 ms walked the folder 150 times in a 10M-row snapshot, CPU taken from the
     * {@code COPY} on two cores, to send no part earlier than this does by more than a look.
     */
    private static final Duration POLL = Duration.ofMillis(50);
    /** Runs every streamer's first look (which only starts its watcher): one daemon thread for all. */
    private static final ScheduledExecutorService FIRST_LOOK = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "export-parts-first-look");
        t.setDaemon(true);
        return t;
    });

    /** A file sent in parts, the last one included; not yet visible at the target. */
    record Streamed(Path path, String sha256) {}

    private final ExportTarget target;
    private final Path dir;
    private final String directory;
    private final PauseHook pause;
    private final long exportId;
    private final LongConsumer sentSoFar;
    private final BooleanSupplier cancelled;
    private final CompletableFuture<?> claimed;
    private final Map<Path, Growing> files = new HashMap<>();
    /** Guards {@link #watcher} and {@link #stopped}: the first look and the end can come at once. */
    private final Object watching = new Object();
    /** Starts the watcher after one poll, unless the database was done before (most change exports). */
    private final ScheduledFuture<?> firstLook;

    private Thread watcher;
    private boolean stopped;
    private byte[] buffer;
    /** The last part of a file on its way, which holds {@link #buffer} until it is sent; done when none is. */
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);
    /** The thread sending the last part, while it does: {@link #close} interrupts it as it does the watcher. */
    private volatile Thread sendingOn;
    /** Set by {@link #close} before it looks at {@link #sendingOn}: a last part about to start sees one or the other. */
    private volatile boolean closing;

    private boolean cleaned;
    /**
     * Bytes of every file sent so far; on the watcher, then (once it has ended) on the exporter's thread and the
     * last parts' threads, one at a time (each waits for {@link #sending}).
     */
    private long sent;

    private volatile boolean written;
    private volatile Throwable failure;

    /**
     * Starts watching {@code dir} (created by the caller), sending a file at {@code <dir>/<relative>} to the
     * key {@code <directory>/<relative>}, once {@code claimed} (the table's prefix is this database's) is done;
     * tells {@code sentSoFar} the bytes of all files sent after each part; sends no part once {@code cancelled}
     * (the export was cancelled: a large snapshot kept sending until DuckDB was done), and then fails the attempt.
     */
    PartStreamer(
            ExportTarget target,
            Path dir,
            String directory,
            CompletableFuture<?> claimed,
            PauseHook pause,
            long exportId,
            LongConsumer sentSoFar,
            BooleanSupplier cancelled) {
        if (target.partSize() <= 0) {
            throw new IllegalArgumentException(target.describe() + " takes whole files only");
        }
        this.target = target;
        this.claimed = claimed;
        this.dir = dir;
        this.directory = directory;
        this.pause = pause;
        this.exportId = exportId;
        this.sentSoFar = sentSoFar;
        this.cancelled = cancelled;
        // A poll's wait comes first, and without a thread of its own: most change exports are written within it,
        // and finish() sends their files without a look here (a look at the start ran beside every COPY on two
        // cores, and starting a thread cost 0.2-1.8 ms of a ~50 ms change export: bench/RESULTS.md, round fifteen).
        this.firstLook = FIRST_LOOK.schedule(this::startWatching, FIRST_POLL.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void startWatching() {
        synchronized (watching) {
            if (stopped) {
                return;
            }
            Thread t = new Thread(this::watch, "export-" + exportId + "-parts");
            t.setDaemon(true);
            try {
                t.start();
                watcher = t;
            } catch (Throwable e) { // out of threads: finish() throws it, and the attempt is retried
                failure = e;
            }
        }
    }

    /** Stops the watcher from being started; answers it when it was (to be joined), else null. */
    private Thread stopWatching() {
        synchronized (watching) {
            stopped = true;
            firstLook.cancel(false);
            return watcher;
        }
    }

    private void watch() {
        try {
            // Not even an unfinished upload goes to a prefix before it is known to be this database's.
            Background.join(claimed);
            while (!written) {
                if (Thread.currentThread().isInterrupted()) {
                    // Only close() and a cancel interrupt this thread; parked with the flag set, it would spin.
                    requireWanted();
                    return;
                }
                sendFullParts();
                // Woken at once by finish() or close(): a small export must not wait out the poll.
                LockSupport.parkNanos(POLL.toNanos());
            }
        } catch (Throwable e) { // an Error too: finish must not take a half-sent file for a whole one
            failure = e;
        }
    }

    /**
     * Once the database has written every file: sends what is left of each file that went up in parts
     * (which includes every file above one part), checks it against the file and answers them by path. The
     * last file's last part may still be on its way: {@link #complete} waits for it.
     */
    Map<Path, Streamed> finish(List<ParquetFile> local) {
        written = true;
        Thread started = stopWatching();
        if (started != null) {
            LockSupport.unpark(started);
            if (Background.joinUninterruptibly(started)) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        // The watcher waited for the claim before its first look; when it never started, that wait is here.
        Background.join(claimed);
        sendFullParts();
        Map<Path, Streamed> streamed = new HashMap<>();
        for (ParquetFile f : local) {
            Growing g = files.get(f.path());
            if (g != null && g.upload != null) {
                Streamed s = g.finish(f);
                if (s != null) {
                    streamed.put(f.path(), s);
                }
            }
        }
        buffer = null;
        return streamed;
    }

    private void sendFullParts() {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(dir)) {
            found = walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .toList();
        } catch (NoSuchFileException | UncheckedIOException e) {
            return; // A file (or a partition's folder) went away during the walk: look again next time.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dir, e);
        }
        for (Path p : found) {
            files.computeIfAbsent(p, Growing::new).sendFull();
        }
    }

    /**
     * Interrupts the threads that send parts (the watcher, a last part's): on a cancel (the {@code cancelled} given
     * says so already) and on {@link #close}. A request between tries or in its backoff ends at once; a socket write
     * blocked on a store that stopped reading ends only with its try's time (Java's blocking sockets ignore it).
     */
    void interruptSending() {
        Thread started;
        synchronized (watching) {
            started = watcher;
        }
        if (started != null) {
            started.interrupt();
        }
        Thread last = sendingOn;
        if (last != null) {
            last.interrupt();
        }
    }

    /**
     * Waits for the last part {@link #finish} left on its way; throws what failed it. Before any file goes whole:
     * none must become visible for an attempt that fails.
     */
    void awaitSent() {
        Background.join(sending);
    }

    /** Makes a file finished by {@link #finish} visible at its key, if no object is there yet. */
    ExportTarget.Outcome complete(Streamed s) {
        awaitSent();
        Growing g = files.get(s.path());
        ExportTarget.Outcome outcome = g.upload.complete(s.sha256());
        // Completed, or (when something was there) aborted by the target: nothing left to give up.
        g.upload = null;
        return outcome;
    }

    /** Gives up every upload not completed: nothing is left at the target. */
    @Override
    public void close() {
        written = true;
        Thread started = stopWatching();
        closing = true;
        interruptSending();
        // The uploads are aborted below, so the watcher must have stopped before: it could start one after that; so
        // must a last part on its way: S3 may keep a part that arrives after its upload was aborted. An interrupted
        // thread's S3 calls fail at once, so the flag waits until the aborts are done; the wait for the last part
        // cannot be interrupted, but it sets the flag again when a stop came meanwhile: that flag waits too.
        boolean interrupted = Thread.interrupted() | (started != null && Background.joinUninterruptibly(started));
        sending.handle((ok, failed) -> null).join();
        interrupted |= Thread.interrupted();
        try {
            for (Growing g : files.values()) {
                g.abort();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Before this attempt's first upload: an attempt of this plan killed mid-stream left its uploads behind
     * (keys derive from the plan and a table's exports run one at a time, so every unfinished upload there is one).
     */
    private ExportTarget.PartUpload start(String key) {
        if (!cleaned) {
            cleaned = true;
            target.abortUnfinished(directory + "/");
        }
        return target.startParts(key);
    }

    private void requireWanted() {
        if (cancelled.getAsBoolean()) {
            throw new ExportClosedException(exportId, ExportState.CANCELLED);
        }
    }

    /** The shared buffer, once no last part is sent from it any more. */
    private byte[] buffer(int length) {
        Background.join(sending);
        if (buffer == null || buffer.length < length) {
            buffer = new byte[Math.toIntExact(target.partSize())];
        }
        return buffer;
    }

    /** One file the database is writing, and what of it went up. */
    private final class Growing {
        private final Path path;
        private final MessageDigest digest = Sha256.digest();
        /** Of the bytes sent, as the digest; the cheap proof that the file at the end holds them. */
        private final CRC32C crc = new CRC32C();

        private ExportTarget.PartUpload upload;
        private boolean whole;
        private long sent;
        private int parts;

        Growing(Path path) {
            this.path = path;
        }

        void sendFull() {
            long size;
            try {
                size = Files.size(path);
            } catch (IOException e) {
                return; // An empty file, deleted once the database was done with it.
            }
            long part = target.partSize();
            while (!whole && size - sent >= part) {
                if (parts + 2 > target.maxParts()) {
                    giveUp(); // Room for the last part only: it goes whole, in larger parts, after the file list.
                    return;
                }
                if (upload == null) {
                    upload = start(key());
                }
                send(read(sent, part));
                pause.at("streaming", exportId);
            }
        }

        /**
         * Sends the rest as the last part, after checking the whole file against what was sent; null when the
         * file needs more parts than the target takes (it then goes whole).
         */
        Streamed finish(ParquetFile f) {
            long size = FileBytes.size(path);
            if (size != f.bytes()) {
                throw new IllegalStateException("the database reported " + f.bytes() + " bytes for " + f.relative()
                        + " but the file holds " + size);
            }
            long part = target.partSize();
            if (parts + (size - sent + part - 1) / part > target.maxParts()) {
                giveUp();
                return null;
            }
            while (size - sent > part) {
                send(read(sent, part));
            }
            int last = read(sent, size - sent);
            String sha256 = Sha256.hex(digest);
            // The last part travels while the file is read once more, to prove the parts sent earlier unchanged,
            // and (for the last file) while the exporter records the file list: complete() waits for it.
            if (last > 0) {
                requireWanted();
                ExportTarget.PartUpload to = upload;
                byte[] tail = buffer;
                sending = Background.start("export-" + exportId + "-last-part", () -> {
                    sendingOn = Thread.currentThread();
                    try {
                        if (closing) {
                            throw new IllegalStateException("the part streamer was closed");
                        }
                        requireWanted(); // a cancel that looked for this thread before it was there
                        to.send(tail, last);
                    } finally {
                        sendingOn = null;
                    }
                    PartStreamer.this.sent += last;
                    sentSoFar.accept(PartStreamer.this.sent);
                });
            }
            if (FileBytes.crc32c(path) != crc.getValue()) {
                throw new IllegalStateException(f.relative() + " changed after parts of it were uploaded");
            }
            return new Streamed(path, sha256);
        }

        void abort() {
            if (upload != null) {
                ExportTarget.PartUpload given = upload;
                upload = null;
                given.abort();
            }
        }

        private void giveUp() {
            log.atInfo()
                    .addKeyValue("event", "export_part_stream_given_up")
                    .addKeyValue("export", exportId)
                    .addKeyValue("file", relative())
                    .log("a file needs more parts than the target takes; it goes up whole once written");
            whole = true;
            abort();
        }

        private void send(int length) {
            requireWanted();
            upload.send(buffer, length);
            sent += length;
            parts++;
            PartStreamer.this.sent += length;
            sentSoFar.accept(PartStreamer.this.sent);
        }

        /** Reads {@code length} bytes at {@code offset} into the shared buffer and the digest. */
        private int read(long offset, long length) {
            int n = Math.toIntExact(length);
            byte[] into = buffer(n);
            FileBytes.read(path, offset, into, n);
            digest.update(into, 0, n);
            crc.update(into, 0, n);
            return n;
        }

        private String key() {
            return directory + "/" + relative();
        }

        private String relative() {
            return dir.relativize(path).toString().replace('\\', '/');
        }
    }
}
