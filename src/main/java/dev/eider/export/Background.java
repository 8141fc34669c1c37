package dev.eider.export;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** A step of an export run on its own short-lived thread, so that it overlaps another step. */
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
