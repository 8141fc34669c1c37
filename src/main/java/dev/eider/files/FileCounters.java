package dev.eider.files;

import java.util.concurrent.atomic.LongAdder;

/** What the files part has done since start, for metrics: a hook the metrics endpoint reads. */
public final class FileCounters {

    private final LongAdder bytesUploaded = new LongAdder();
    private final LongAdder filesUploaded = new LongAdder();
    private final LongAdder objectsDeleted = new LongAdder();
    private final LongAdder orphansSwept = new LongAdder();
    private final LongAdder missingObjects = new LongAdder();

    void uploaded(long bytes) {
        bytesUploaded.add(bytes);
        filesUploaded.increment();
    }

    void deleted(int n) {
        objectsDeleted.add(n);
    }

    void swept(int n) {
        orphansSwept.add(n);
    }

    void missing(int n) {
        missingObjects.add(n);
    }

    public long bytesUploaded() {
        return bytesUploaded.sum();
    }

    public long filesUploaded() {
        return filesUploaded.sum();
    }

    /** Objects deleted by the outbox worker (replaced or deleted files, after their grace period). */
    public long objectsDeleted() {
        return objectsDeleted.sum();
    }

    /** Objects no row named, deleted by the sweeper. */
    public long orphansSwept() {
        return orphansSwept.sum();
    }

    /** References found pointing at a missing object, summed over sweeps (reported, never deleted). */
    public long missingObjects() {
        return missingObjects.sum();
    }
}
