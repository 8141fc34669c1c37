package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eider.config.ExportConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

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

    /**
     * A restart is often what fixes a failing export (a target reachable again, a setting changed): the start goes on
     * with an open plan at once, not after the retry delay its last failure set (a new-user trial waited 25 s, and
     * up to 2 minutes, after the log said "resuming"); later failures wait as before.
     */
    @Test
    void start_withAFailedPlanWaitingToBeRetried_triesItAtOnceAndThenWaitsAgain() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ExportPlan failed = plan(ExportState.FAILED, clock.instant());
        List<String> calls = new CopyOnWriteArrayList<>();
        try (FolderTarget target = new FolderTarget(dir.resolve("out"));
                ExportService service = service(attemptsFail(failed, failed, calls), target, clock)) {
            service.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> attempts(calls) == 1);
            // The clock stands still, before the plan's next attempt: no second one.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> attempts(calls) == 1);
        }
    }

    /**
     * An export cancelled while its attempt ran, which then failed (a trial's store stopped reading): logged as
     * "export failed; it is retried" though nothing is; now no failure is recorded for it.
     */
    @Test
    void attemptFailing_afterItsPlanWasCancelled_recordsNoFailure() {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        // Cancelled on another instance meanwhile; this attempt then meets a store gone away.
        ExportPlan failed = plan(ExportState.FAILED, clock.instant());
        ExportPlan cancelled = plan(ExportState.CANCELLED, clock.instant());
        List<String> calls = new CopyOnWriteArrayList<>();
        try (FolderTarget target = new FolderTarget(dir.resolve("out"));
                ExportService service = service(attemptsFail(failed, cancelled, calls), target, clock)) {
            service.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("find"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !calls.contains("failed"));
        }
    }

    /**
     * A store whose open plan is {@code open}, every attempt at which fails at once (S3 down), and which finds
     * {@code found} for its id; every call is noted in {@code calls}.
     */
    private static ExportStore attemptsFail(ExportPlan open, ExportPlan found, List<String> calls) {
        return (ExportStore) Proxy.newProxyInstance(
                ExportStore.class.getClassLoader(), new Class<?>[] {ExportStore.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    switch (method.getName()) {
                        case "open":
                            return Optional.of(open);
                        case "openPlans":
                            return List.of(open);
                        case "startAttempt":
                            throw new IllegalStateException("simulated: S3 still down");
                        case "find":
                            return Optional.of(found);
                        case "failed", "databaseId":
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static long attempts(List<String> calls) {
        return calls.stream().filter("startAttempt"::equals).count();
    }

    private ExportService service(ExportStore store, FolderTarget target, MovableClock clock) {
        return new ExportService(
                store,
                new Catalog(List.of(TableDef.DEFAULT)),
                TestConfig.in(dir).export(),
                target,
                clock,
                PauseHook.NONE,
                () -> {});
    }

    /** Export 7, a snapshot that failed six times, the last 5 s ago, as {@code state}. */
    private static ExportPlan plan(ExportState state, Instant now) {
        return new ExportPlan(
                7,
                "records",
                Mode.SNAPSHOT,
                0,
                1,
                state,
                List.of(),
                0,
                0,
                "S3 was down",
                6,
                now.minusSeconds(60),
                now.minusSeconds(5),
                null,
                now.plus(Duration.ofMinutes(2)));
    }

    @Test
    void describe_withoutAMessage_namesTheFailure() {
        assertThat(ExportService.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }

    /** The SDK's own text under a target's failure (retries, request ids) stayed in export errors (a new-user trial). */
    @Test
    void describe_targetFailure_keepsItsPlainWordsNotTheSdksBelow() {
        var target = new TargetException(
                "s3://b/p: http://127.0.0.1:9000 answered 503: no message",
                SdkClientException.create(
                        "no message: (Service: S3, Status Code: 503, Request ID: null) (SDK Attempt Count: 5)"));

        assertThat(ExportService.describe(target))
                .isEqualTo("s3://b/p: http://127.0.0.1:9000 answered 503: no message");
        assertThat(ExportService.describe(new IllegalStateException("cannot write the manifest", target)))
                .isEqualTo("cannot write the manifest: s3://b/p: http://127.0.0.1:9000 answered 503: no message");
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
