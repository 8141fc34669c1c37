package dev.eider.ingest;

import java.util.List;
import java.util.Queue;
import java.util.function.ToLongFunction;

/** How the log writer and the applier gather a batch: everything already waiting, up to a row budget. */
final class Batching {

    private Batching() {}

    /**
     * Moves waiting elements into {@code batch} (which holds the first one taken) while the batch
     * has fewer than {@code maxRows} rows.
     */
    static <T> void takeWaiting(Queue<T> queue, List<T> batch, long maxRows, ToLongFunction<T> rows) {
        long total = batch.stream().mapToLong(rows).sum();
        T next;
        while (total < maxRows && (next = queue.poll()) != null) {
            batch.add(next);
            total += rows.applyAsLong(next);
        }
    }
}
