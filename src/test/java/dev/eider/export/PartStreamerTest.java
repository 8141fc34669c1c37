package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PartStreamer} against a target that keeps its uploads in memory: what it sends while a file grows,
 * what it checks at the end, and that every upload not completed is aborted, whatever failed.
 */
class PartStreamerTest {

    static final int PART = 8;

    @TempDir
    Path dir;

    final MemoryTarget target = new MemoryTarget(PART, 100);
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Test
    void finish_fileGrownPastParts_sendsPartsWhileWrittenAndTheRestAtTheEnd() throws Exception {
        Path file = dir.resolve("part-0.parquet");
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            append(file, "0123456789abcdefXY"); // two full parts
            await().until(() -> target.sentTo("t/s/part-0.parquet").length() == 2 * PART);
            append(file, "Z");

            Map<Path, PartStreamer.Streamed> streamed = streamer.finish(List.of(parquet(file)));

            assertThat(streamed.get(file).sha256()).isEqualTo(Sha256.of(file));
            assertThat(streamer.complete(streamed.get(file))).isEqualTo(ExportTarget.Outcome.CREATED);
        }
        assertThat(target.completed).containsEntry("t/s/part-0.parquet", "0123456789abcdefXYZ");
        assertThat(target.aborted).isEmpty();
        assertThat(target.cleaned).containsExactly("t/s/");
    }

    @Test
    void finish_fileBelowOnePart_leavesItToGoWhole() throws Exception {
        Path file = append(dir.resolve("part-0.parquet"), "small");
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            assertThat(streamer.finish(List.of(parquet(file)))).isEmpty();
        }
        assertThat(target.started).isEmpty();
    }

    @Test
    void close_whileTheDatabaseStillWrites_abortsTheUpload() throws Exception {
        Path file = dir.resolve("part-0.parquet");
        PartStreamer streamer = streamer(CompletableFuture.completedFuture(null));
        append(file, "0123456789abcdef");
        await().until(() -> target.sentTo("t/s/part-0.parquet").length() == 2 * PART);
        // The database fails here: the exporter leaves without finish.
        streamer.close();

        assertAbortedNotCompleted();
    }

    @Test
    void close_onAnInterruptedThread_abortsAsIfNotInterruptedAndKeepsTheFlag() throws Exception {
        Path file = dir.resolve("part-0.parquet");
        PartStreamer streamer = streamer(CompletableFuture.completedFuture(null));
        append(file, "0123456789abcdef");
        await().until(() -> target.sentTo("t/s/part-0.parquet").length() == 2 * PART);

        Thread.currentThread().interrupt(); // the service stops while the export runs
        streamer.close();

        assertThat(Thread.interrupted()).as("the flag is kept for the caller").isTrue();
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
        assertThat(target.abortedInterrupted)
                .as("an S3 call on an interrupted thread fails at once")
                .isFalse();
    }

    @Test
    void finish_partFailsToSend_throwsAndCloseAborts() throws Exception {
        Path file = dir.resolve("part-0.parquet");
        target.failSendAt = 2;
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            append(file, "0123456789abcdef0");
            await().until(() -> target.started.size() == 1);
            assertThatThrownBy(() -> streamer.finish(List.of(parquet(file))))
                    .isInstanceOf(TargetException.class)
                    .hasMessageContaining("part 2");
        }
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
    }

    @Test
    void finish_fileChangedAfterAPartWasSent_isRefusedAndAborted() throws Exception {
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            Path file = onePartSent();
            Files.writeString(file, "XXXXXXXX89"); // rewritten in place: what was sent is no longer the file

            assertThatThrownBy(() -> streamer.finish(List.of(parquet(file))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("changed after parts of it were uploaded");
        }
        assertAbortedNotCompleted();
    }

    @Test
    @Timeout(
            value = 30,
            threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: finish waited for the last part
    void finish_answersWhileTheLastPartTravels_andCompleteWaitsForIt() throws Exception {
        target.holdSendAt = 2;
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            Path file = onePartSent();

            try {
                PartStreamer.Streamed s =
                        streamer.finish(List.of(parquet(file))).get(file);
                // The exporter records the file list now, while the last part is on its way.
                assertThat(target.sentTo("t/s/part-0.parquet")).isEqualTo("01234567");
                assertThat(s.sha256()).isEqualTo(Sha256.of(file));

                CompletableFuture<ExportTarget.Outcome> completed =
                        CompletableFuture.supplyAsync(() -> streamer.complete(s));
                assertThat(completed).isNotDone();
                target.held.complete(null);
                assertThat(completed.get()).isEqualTo(ExportTarget.Outcome.CREATED);
            } finally {
                target.held.complete(null); // else a failed assertion leaves close() waiting for the part
            }
        }
        assertThat(target.completed).containsEntry("t/s/part-0.parquet", "0123456789");
        assertThat(target.aborted).isEmpty();
    }

    @Test
    void complete_lastPartFailedToSend_throwsAndCloseAborts() throws Exception {
        target.failSendAt = 2;
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            Path file = onePartSent();
            PartStreamer.Streamed s = streamer.finish(List.of(parquet(file))).get(file);

            assertThatThrownBy(() -> streamer.complete(s))
                    .isInstanceOf(TargetException.class)
                    .hasMessageContaining("part 2");
        }
        assertAbortedNotCompleted();
    }

    @Test
    @Timeout(
            value = 30,
            threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: finish waited for the last part
    void close_whileTheLastPartTravels_waitsForItBeforeAborting_evenWhenInterrupted() throws Exception {
        target.holdSendAt = 2;
        PartStreamer streamer = streamer(CompletableFuture.completedFuture(null));
        Path file = onePartSent();
        streamer.finish(List.of(parquet(file)));
        // The file list failed to be recorded: the exporter leaves without complete.
        Thread closing = new Thread(streamer::close);
        closing.start();
        try {
            await().until(() ->
                    closing.getState() == Thread.State.WAITING || closing.getState() == Thread.State.TERMINATED);
            assertThat(closing.getState()).as("close waits for the part").isEqualTo(Thread.State.WAITING);
            assertThat(target.aborted).isEmpty();
            closing.interrupt(); // the service stops meanwhile
        } finally {
            target.held.complete(null);
        }
        closing.join();

        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
        assertThat(target.abortedWhileSending)
                .as("S3 may keep a part that arrives after the abort")
                .isFalse();
        assertThat(target.abortedInterrupted)
                .as("an S3 call on an interrupted thread fails at once")
                .isFalse();
    }

    /** A cancelled snapshot kept sending parts until DuckDB was done with it (a new-user trial, round sixteen). */
    @Test
    void cancelled_sendsNoMorePart_andFinishSaysSo() throws Exception {
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            Path file = onePartSent();
            cancelled.set(true);
            append(file, "abcdefghijklmnopq"); // two more full parts and a last one

            assertThatThrownBy(() -> streamer.finish(List.of(parquet(file))))
                    .isInstanceOf(ExportClosedException.class)
                    .hasMessage("export 1 is already cancelled");
        }
        assertThat(target.sentTo("t/s/part-0.parquet")).isEqualTo("01234567");
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
    }

    /** A store that stopped reading held the last part, and a stop waited for it (a trial, round seventeen). */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: close waited for good
    void close_interruptsALastPartThatHangs_andAbortsTheUpload() throws Exception {
        target.holdSendAt = 2;
        target.holdInterruptibly = true;
        PartStreamer streamer = streamer(CompletableFuture.completedFuture(null));
        Path file = onePartSent();
        streamer.finish(List.of(parquet(file)));

        streamer.close();

        assertAbortedNotCompleted();
    }

    /** A store that stopped reading held a cancelled export's part, and the export thread, six minutes (a trial). */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: finish waited for good
    void interruptSending_givesUpThePartOnItsWay() throws Exception {
        target.holdSendAt = 2;
        target.holdInterruptibly = true;
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            Path file = onePartSent();
            append(file, "abcdefgh"); // a second full part, whose send hangs
            await().until(() -> target.sending.get() == 1);

            cancelled.set(true);
            streamer.interruptSending();

            assertThatThrownBy(() -> streamer.finish(List.of(parquet(file))))
                    .isInstanceOf(TargetException.class)
                    .hasMessage("the request was interrupted");
        }
        assertThat(target.sentTo("t/s/part-0.parquet")).isEqualTo("01234567");
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
    }

    @Test
    void complete_fails_closeAbortsTheUpload() throws Exception {
        Path file = append(dir.resolve("part-0.parquet"), "0123456789");
        target.failComplete = true;
        try (PartStreamer streamer = streamer(CompletableFuture.completedFuture(null))) {
            PartStreamer.Streamed s = streamer.finish(List.of(parquet(file))).get(file);
            assertThatThrownBy(() -> streamer.complete(s)).isInstanceOf(TargetException.class);
        }
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
    }

    @Test
    void finish_claimRefused_sendsNothing() throws Exception {
        Path file = append(dir.resolve("part-0.parquet"), "0123456789abcdef");
        CompletableFuture<Void> claimed =
                CompletableFuture.failedFuture(new IllegalStateException("the prefix belongs to another database"));
        try (PartStreamer streamer = streamer(claimed)) {
            assertThatThrownBy(() -> streamer.finish(List.of(parquet(file)))).hasMessageContaining("another database");
        }
        assertThat(target.started).isEmpty();
        assertThat(target.cleaned).isEmpty();
    }

    @Test
    void finish_fileNeedingMorePartsThanTheTargetTakes_isGivenUpToGoWhole() throws Exception {
        MemoryTarget small = new MemoryTarget(PART, 3);
        Path file = dir.resolve("part-0.parquet");
        try (PartStreamer streamer = new PartStreamer(
                small,
                dir,
                "t/s",
                CompletableFuture.completedFuture(null),
                PauseHook.NONE,
                1,
                sent -> {},
                () -> false)) {
            append(file, "0123456789abcdef");
            await().until(() -> small.sentTo("t/s/part-0.parquet").length() == 2 * PART);
            append(file, "0123456789abcdef"); // four full parts: over three with the last

            assertThat(streamer.finish(List.of(parquet(file)))).isEmpty();
        }
        assertThat(small.aborted).containsExactly("t/s/part-0.parquet");
    }

    private void assertAbortedNotCompleted() {
        assertThat(target.aborted).containsExactly("t/s/part-0.parquet");
        assertThat(target.completed).isEmpty();
    }

    /** A file of ten bytes whose first part the streamer sent: two are left for the last part. */
    private Path onePartSent() throws Exception {
        Path file = append(dir.resolve("part-0.parquet"), "0123456789");
        await().until(() -> target.sentTo("t/s/part-0.parquet").length() == PART);
        return file;
    }

    private PartStreamer streamer(CompletableFuture<Void> claimed) {
        return new PartStreamer(target, dir, "t/s", claimed, PauseHook.NONE, 1, sent -> {}, cancelled::get);
    }

    private ParquetFile parquet(Path file) throws Exception {
        return new ParquetFile(file, dir.relativize(file).toString(), 1, Files.size(file));
    }

    private static Path append(Path file, String text) throws Exception {
        return Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Keeps uploads in memory; part sizes below S3's minimum keep the files tiny. */
    static final class MemoryTarget implements ExportTarget {
        final long partSize;
        final int maxParts;
        final Map<String, ByteArrayOutputStream> started = new ConcurrentHashMap<>();
        final Map<String, String> completed = new ConcurrentHashMap<>();
        final List<String> aborted = new ArrayList<>();
        final List<String> cleaned = new ArrayList<>();
        volatile boolean abortedInterrupted;
        volatile int failSendAt;
        /** The part that waits for {@link #held} before it is taken. */
        volatile int holdSendAt;

        final CompletableFuture<Void> held = new CompletableFuture<>();
        final AtomicInteger sending = new AtomicInteger();
        volatile boolean abortedWhileSending;
        /** Whether the held part gives up when its thread is interrupted, as an S3 request does. */
        volatile boolean holdInterruptibly;

        volatile boolean failComplete;

        MemoryTarget(long partSize, int maxParts) {
            this.partSize = partSize;
            this.maxParts = maxParts;
        }

        private void hold() {
            if (!holdInterruptibly) {
                held.join();
                return;
            }
            try {
                held.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetException("the request was interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        String sentTo(String key) {
            ByteArrayOutputStream sent = started.get(key);
            return sent == null ? "" : sent.toString();
        }

        @Override
        public long partSize() {
            return partSize;
        }

        @Override
        public int maxParts() {
            return maxParts;
        }

        @Override
        public void abortUnfinished(String prefix) {
            cleaned.add(prefix);
        }

        @Override
        public PartUpload startParts(String key) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            started.put(key, sent);
            return new PartUpload() {
                int parts;

                @Override
                public void send(byte[] bytes, int length) {
                    if (++parts == failSendAt) {
                        throw new TargetException("cannot send part " + parts + " of " + key, null);
                    }
                    sending.incrementAndGet();
                    try {
                        if (parts == holdSendAt) {
                            hold();
                        }
                        synchronized (sent) {
                            sent.write(bytes, 0, length);
                        }
                    } finally {
                        sending.decrementAndGet();
                    }
                }

                @Override
                public Outcome complete(String sha256) {
                    if (failComplete) {
                        throw new TargetException("cannot complete " + key, null);
                    }
                    completed.put(key, sent.toString());
                    return Outcome.CREATED;
                }

                @Override
                public void abort() {
                    abortedInterrupted |= Thread.currentThread().isInterrupted();
                    abortedWhileSending |= sending.get() > 0;
                    synchronized (aborted) {
                        aborted.add(key);
                    }
                }
            };
        }

        @Override
        public Outcome create(String key, Path file, String sha256) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome create(String key, byte[] content, String sha256) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String key, Path file, String sha256) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String key, byte[] content, String sha256) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> read(String key) {
            return Optional.empty();
        }

        @Override
        public void download(String key, Path to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String key) {}

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {}
    }
}
