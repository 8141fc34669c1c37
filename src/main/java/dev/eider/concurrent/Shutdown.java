package dev.eider.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a background thread at stop and waits, briefly, for the task in flight, so that what it writes or deletes is
 * done before the parts it uses (a target, a pool, a test's folder) are closed after it. Briefly: a store that stopped
 * answering must not hold up the stop (a supervisor's grace period is often 30 s for all of it).
 */
public final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private Shutdown() {}

    /** Lets the task in flight end by itself (no interrupt: it cleans up after itself) for up to 5 s, then interrupts it. */
    public static void gently(ExecutorService executor, String what) {
        executor.shutdown();
        await(executor, what, WAIT);
    }

    /** Interrupts the task in flight (it stops at its next check) and waits up to 5 s for it to end. */
    public static void now(ExecutorService executor, String what) {
        now(executor, what, WAIT);
    }

    /** Interrupts the task in flight and waits for it to end, for up to {@code wait}. */
    public static void now(ExecutorService executor, String what, Duration wait) {
        executor.shutdownNow();
        await(executor, what, wait);
    }

    private static void await(ExecutorService executor, String what, Duration wait) {
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.atWarn()
                        .addKeyValue("event", "stop_timeout")
                        .addKeyValue("thread", what)
                        .log(what + " did not end in " + wait.toSeconds() + " s; left to end by itself");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
