package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.config.ExportConfig;
import dev.eider.table.Catalog;
import dev.eider.testing.MovableClock;
import dev.eider.testing.TestConfig;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export schedule survives anything a tick throws. */
class ExportServiceTest {

    @TempDir
    Path dir;

    @Test
    void tick_throwsAnError_scheduleKeepsTicking() {
        AtomicInteger looks = new AtomicInteger();
        // A store whose first look at a table's open plan throws an Error; nothing is ever due.
        ExportStore store = (ExportStore) Proxy.newProxyInstance(
                ExportStore.class.getClassLoader(), new Class<?>[] {ExportStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "open":
                            if (looks.incrementAndGet() == 1) {
                                throw new OutOfMemoryError("simulated");
                            }
                            return Optional.empty();
                        case "openPlans":
                            return List.of();
                        case "lastPlannedAt":
                            return Optional.of(Instant.now());
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        ExportConfig config = TestConfig.in(dir).export();
        try (FolderTarget target = new FolderTarget(dir.resolve("out"));
                ExportService service = new ExportService(
                        store, new Catalog(List.of()), config, target, Clock.systemUTC(), PauseHook.NONE, () -> {})) {
            service.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 3);
        }
    }

    @Test
    void tick_keepsFailing_waitsLongerBetweenChecks() {
        AtomicInteger looks = new AtomicInteger();
        // A database that stopped for good: every look fails (four stack traces a second before).
        ExportStore store = (ExportStore) Proxy.newProxyInstance(
                ExportStore.class.getClassLoader(), new Class<?>[] {ExportStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "open":
                            looks.incrementAndGet();
                            throw new IllegalStateException("simulated: database invalidated");
                        case "openPlans":
                            return List.of();
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ExportConfig config = TestConfig.in(dir).export();
        try (FolderTarget target = new FolderTarget(dir.resolve("out"));
                ExportService service = new ExportService(
                        store, new Catalog(List.of()), config, target, clock, PauseHook.NONE, () -> {})) {
            service.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() == 1);

            // The clock stands still: no check until the first back-off (1 s) has passed on it.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> looks.get() == 1);
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() == 2);
            // Then 2 s: one more second is not enough.
            clock.advance(Duration.ofSeconds(1));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> looks.get() == 2);
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() == 3);
        }
    }

    @Test
    void describe_withoutAMessage_namesTheFailure() {
        assertThat(ExportService.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void describe_namesTheCausesReason() {
        var failure = new UncheckedIOException(
                "cannot stage /srv/out/records/_claim.json",
                new FileSystemException("/srv/out/records/_claim.json.tmp", null, "Operation not permitted"));

        assertThat(ExportService.describe(failure))
                .isEqualTo("cannot stage /srv/out/records/_claim.json:"
                        + " /srv/out/records/_claim.json.tmp: Operation not permitted");
    }
}
