package dev.eider.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the log writer and the applier do with an Error they cannot recover from: stop the process,
 * so that a supervisor restarts it and the write-ahead log replays what was acknowledged (see
 * docs/decisions.md). Tests pass a handler that records instead.
 */
@FunctionalInterface
interface Fatal {

    /** Exit status of a halt after a fatal error (EX_SOFTWARE). */
    int EXIT_STATUS = 70;

    void halt(String where, Throwable error);

    /** Logs the error and halts the JVM without running shutdown hooks, which could wait on the failed thread. */
    Fatal HALT = (where, error) -> {
        try {
            System.err.println("eider: fatal " + error + " in " + where
                    + "; halting so that a restart replays the write-ahead log");
            Holder.log
                    .atError()
                    .addKeyValue("event", "fatal")
                    .addKeyValue("where", where)
                    .addKeyValue("action", "halt")
                    .setCause(error)
                    .log("fatal error; halting");
        } catch (Throwable ignored) {
            // Out of memory even for the message: halting matters more.
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    };

    /** Keeps the logger out of the interface's constants. */
    final class Holder {
        private static final Logger log = LoggerFactory.getLogger(Fatal.class);

        private Holder() {}
    }
}
