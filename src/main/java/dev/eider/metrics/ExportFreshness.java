package dev.eider.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The age of a table's oldest acknowledged change that no succeeded export covers yet. It remembers
 * the commit time of the first sequence committed in each second, so memory stays bounded by the
 * seconds between exports and the age is exact to within a second (never under-stated).
 */
final class ExportFreshness {

    /** First sequence committed in a second -> when it was committed; only sequences not yet exported. */
    private final ConcurrentSkipListMap<Long, Instant> unexported = new ConcurrentSkipListMap<>();

    private long lastCommitted;

    synchronized void committed(long firstSequence, long lastSequence, Instant at) {
        Map.Entry<Long, Instant> newest = unexported.lastEntry();
        if (newest == null || !at.isBefore(newest.getValue().plusSeconds(1))) {
            unexported.put(firstSequence, at);
        }
        lastCommitted = Math.max(lastCommitted, lastSequence);
    }

    /** A succeeded export covers every sequence up to {@code through}. */
    synchronized void exported(long through) {
        Map.Entry<Long, Instant> covering = unexported.floorEntry(through);
        unexported.headMap(through, true).clear();
        boolean leftBehind = lastCommitted > through && (unexported.isEmpty() || unexported.firstKey() > through + 1);
        if (covering != null && leftBehind) {
            // Changes after `through` committed in the same second as `covering`: keep its (older) time.
            unexported.put(through + 1, covering.getValue());
        }
    }

    /** Seconds since the oldest unexported change was acknowledged; 0 when everything is exported. */
    double ageSeconds(Instant now) {
        Map.Entry<Long, Instant> oldest = unexported.firstEntry();
        if (oldest == null) {
            return 0;
        }
        return Math.max(0, Duration.between(oldest.getValue(), now).toMillis() / 1000.0);
    }
}
