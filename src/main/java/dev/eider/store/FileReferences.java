package dev.eider.store;

import java.time.Instant;
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

    /** Every object key a live row names. */
    Set<String> liveKeys();

    /** Every live reference (for the sweeper's report of references whose object is missing). */
    List<Reference> liveReferences();

    /** Every object key waiting in the outbox. */
    Set<String> pendingKeys();

    /**
     * Pending deletions released at or before {@code releasedBefore} whose change has been
     * exported (its sequence is within the table's last successful export), oldest first.
     */
    List<PendingDeletion> due(Instant releasedBefore, int limit);

    /** Removes carried-out deletions from the outbox (idempotent). */
    void forget(List<PendingDeletion> done);
}
