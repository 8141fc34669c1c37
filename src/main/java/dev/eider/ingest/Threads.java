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
                log.warn("event=thread_stuck thread={} waited={} action=interrupt", thread.getName(), wait);
                thread.interrupt();
                thread.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("event=thread_not_stopped thread={}", thread.getName());
            return false;
        }
        return true;
    }
}
