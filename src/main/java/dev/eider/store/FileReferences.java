package dev.eider.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The store's side of record files (a port, like {@link RecordStore}): which objects rows name,
 * and the pending deletions (the outbox) that committed changes recorded. The references
 * themselves are written by {@link RecordStore#apply} with the rest of a batch.
 */
public interface FileReferences {

    /** An object a committed change stopped referencing. */
    record PendingDeletion(String objectKey, String table, long sequence, Instant releasedAt) {}

    /** A live row's reference, for reports of missing objects. */
    record Reference(String table, String column, Object recordKey, String objectKey) {}

    /** Which of {@code objectKeys} a live row names (a bounded batch, such as one listing page). */
    Set<String> liveAmong(Collection<String> objectKeys);

    /** Which of {@code objectKeys} a live row or a pending deletion names. */
    Set<String> namedAmong(Collection<String> objectKeys);

    /**
     * Live references whose object key sorts after {@code after} and no later than {@code upTo}
     * (unbounded when null), uploaded before {@code uploadedBefore}: at most {@code limit}, in
     * ascending key order (byte order, as S3 lists), so a caller can walk them beside a listing.
     */
    List<Reference> liveBetween(String after, String upTo, Instant uploadedBefore, int limit);

    /**
     * Pending deletions released at or before {@code releasedBefore} whose change has been
     * exported (its sequence is within the table's last successful export), oldest first.
     */
    List<PendingDeletion> due(Instant releasedBefore, int limit);

    /** Removes carried-out deletions from the outbox (idempotent). */
    void forget(List<PendingDeletion> done);
}
