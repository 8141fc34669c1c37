package dev.eider.ingest;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping ingest's threads without waiting forever. */
final class Threads {

    private static final Logger log = LoggerFactory.getLogger(Threads.class);

    private Threads() {}

    /**
     * Waits up to {@code wait} for a thread that was asked to stop, then interrupts it and waits as
     * long again.
     *
     * @return whether the thread has ended
     */
    static boolean stop(Thread thread, Duration wait) {
        try {
            thread.join(wait.toMillis());
            if (thread.isAlive()) {
                log.atWarn()
                        .addKeyValue("event", "thread_stuck")
                        .addKeyValue("thread", thread.getName())
                        .addKeyValue("waited", wait)
                        .addKeyValue("action", "interrupt")
                        .log("a thread did not stop in time; interrupting it");
                thread.interrupt();
                thread.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.atError()
                    .addKeyValue("event", "thread_not_stopped")
                    .addKeyValue("thread", thread.getName())
                    .log("a thread did not stop");
            return false;
        }
        return true;
    }
}
