package dev.eider.export;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Steps of an export run beside another: each on a short-lived thread of its own, or on a thread kept for them. */
final class Background {

    private Background() {}

    static <T> CompletableFuture<T> start(String name, Supplier<T> step) {
        return CompletableFuture.supplyAsync(step, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        });
    }

    static CompletableFuture<Void> start(String name, Runnable step) {
        return start(name, () -> {
            step.run();
            return null;
        });
    }

    /**
     * One thread for steps of exports, started on first use and parked between them (exports are often an hour
     * apart: one that ended when idle would be started again for most); a daemon, so it never holds up a stop.
     */
    static ExecutorService keptThread(String name) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the step on {@code executor}, or here when it was shut down (the service stops). */
    static CompletableFuture<Void> run(ExecutorService executor, Runnable step) {
        try {
            return CompletableFuture.runAsync(step, executor);
        } catch (RejectedExecutionException stopped) {
            step.run();
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Waits for the thread to end even when this one is interrupted meanwhile; answers whether it was. */
    static boolean joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
                thread.interrupt();
            }
        }
        return interrupted;
    }

    /** The step's result; what it threw is thrown here as it was. */
    static <T> T join(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
