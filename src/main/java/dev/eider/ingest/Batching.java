package dev.eider.ingest;

import java.util.List;
import java.util.Queue;
import java.util.function.ToLongFunction;

/** How the log writer and the applier gather a batch: everything already waiting, up to a row (and byte) budget. */
final class Batching {

    private Batching() {}

    /**
     * Moves waiting elements into {@code batch} (which holds the first one taken) while the batch
     * has fewer than {@code maxRows} rows.
     */
    static <T> void takeWaiting(Queue<T> queue, List<T> batch, long maxRows, ToLongFunction<T> rows) {
        takeWaiting(queue, batch, maxRows, rows, Long.MAX_VALUE, e -> 0);
    }

    /**
     * Moves waiting elements into {@code batch} (which holds the first one taken) while the batch has
     * fewer than {@code maxRows} rows and fewer than {@code maxBytes} bytes; the last element taken may
     * cross either bound, so one element larger than the bound still makes a batch of its own.
     */
    static <T> void takeWaiting(
            Queue<T> queue,
            List<T> batch,
            long maxRows,
            ToLongFunction<T> rows,
            long maxBytes,
            ToLongFunction<T> bytes) {
        long totalRows = batch.stream().mapToLong(rows).sum();
        long totalBytes = batch.stream().mapToLong(bytes).sum();
        T next;
        while (totalRows < maxRows && totalBytes < maxBytes && (next = queue.poll()) != null) {
            batch.add(next);
            totalRows += rows.applyAsLong(next);
            totalBytes += bytes.applyAsLong(next);
        }
    }
}
