package dev.eider.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/** Runs several clients at once, each on a thread of its own, and waits for all of them. */
public final class Clients {

    private Clients() {}

    /** Runs {@code client} for 0..count-1 concurrently; rethrows the first failure (an assertion, say). */
    public static void run(int count, IntConsumer client) {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                int id = c;
                running.add(pool.submit(() -> client.accept(id)));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a client failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("clients did not finish within 5 minutes", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
