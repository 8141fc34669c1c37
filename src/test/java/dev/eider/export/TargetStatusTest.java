package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetStatusTest {

    @TempDir
    Path dir;

    @Test
    void close_duringACheck_letsItEndSoTheProbeIsGone() throws Exception {
        // CI: closing returned while the check still wrote its probe, and the test's folder could not be deleted; a
        // review: interrupting it instead would leave the probe.
        Path root = Files.createDirectories(dir.resolve("exports"));
        Path work = dir.resolve("work");
        CountDownLatch writing = new CountDownLatch(1);
        ExportTarget slow = new SlowPut(new FolderTarget(root), writing);

        TargetStatus status = TargetStatus.start(slow, work);
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
        status.close();

        assertThat(work).doesNotExist();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    /**
     * A target whose write takes a while after the object is stored and, like the SDK, throws when interrupted then:
     * a check interrupted there would leave its probe.
     */
    private static final class SlowPut extends ForwardingTarget {
        private final CountDownLatch writing;

        SlowPut(ExportTarget target, CountDownLatch writing) {
            super(target);
            this.writing = writing;
        }

        @Override
        public void put(String key, Path file, String sha256) {
            super.put(key, file, sha256);
            writing.countDown();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetException("interrupted after the object was stored", e);
            }
        }
    }
}
