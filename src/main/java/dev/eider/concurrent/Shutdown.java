package dev.eider.concurrent;

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
    private static final long WAIT_SECONDS = 30;

    private Shutdown() {}

    /** Lets the task in flight end by itself (no interrupt) for up to 30 s, then interrupts it. */
    public static void gently(ExecutorService executor, String what) {
        executor.shutdown();
        await(executor, what);
    }

    /** Interrupts the task in flight (it stops at its next check) and waits up to 30 s for it to end. */
    public static void now(ExecutorService executor, String what) {
        executor.shutdownNow();
        await(executor, what);
    }

    private static void await(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.atWarn()
                        .addKeyValue("event", "stop_timeout")
                        .addKeyValue("thread", what)
                        .log(what + " did not end in " + WAIT_SECONDS + " s");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
