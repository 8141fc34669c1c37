package dev.eider.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows written in each of the last buckets of a fixed width: what the status page charts. */
final class IngestRate {

    private final long width;
    private final long[] rows;
    private final long[] bucketOf;

    IngestRate(Duration width, int buckets) {
        this.width = width.toMillis();
        this.rows = new long[buckets];
        this.bucketOf = new long[buckets];
        java.util.Arrays.fill(bucketOf, -1);
    }

    synchronized void add(long count, Instant at) {
        long bucket = at.toEpochMilli() / width;
        int slot = (int) (bucket % rows.length);
        if (bucketOf[slot] != bucket) {
            bucketOf[slot] = bucket;
            rows[slot] = 0;
        }
        rows[slot] += count;
    }

    /** One value per bucket, oldest first; the last bucket is the one holding {@code now}. */
    synchronized List<Long> last(Instant now) {
        long current = now.toEpochMilli() / width;
        List<Long> out = new ArrayList<>(rows.length);
        for (long b = current - rows.length + 1; b <= current; b++) {
            int slot = (int) (b % rows.length);
            out.add(bucketOf[slot] == b ? rows[slot] : 0L);
        }
        return out;
    }

    Duration width() {
        return Duration.ofMillis(width);
    }
}
