package dev.eider.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a background thread at stop and waits for the task in flight, so that what it writes or deletes is done
 * before the parts it uses (a target, a pool, a test's folder) are closed after it.
 */
public final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Shutdown() {}

    /** Interrupts the task in flight (it stops at its next check) and waits up to 30 s for it to end. */
    public static void now(ExecutorService executor, String what) {
        now(executor, what, WAIT);
    }

    /** Interrupts the task in flight and waits for it to end, for up to {@code wait}; then leaves it. */
    public static void now(ExecutorService executor, String what, Duration wait) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.atWarn()
                        .addKeyValue("event", "stop_timeout")
                        .addKeyValue("thread", what)
                        .log(what + " did not end in " + wait.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
