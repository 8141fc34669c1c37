package dev.eider.ingest;

import dev.eider.store.WriteBatch;
import java.time.Duration;
import java.util.List;

/** Hears each group commit once its requests are durable in the write-ahead log (metrics hook). */
@FunctionalInterface
public interface CommitListener {

    CommitListener NONE = (parts, logWrite) -> {};

    /**
     * @param parts the requests acknowledged by this commit, one part each, with their sequences
     * @param logWrite how long appending to the log and syncing it took
     */
    void committed(List<WriteBatch.Sequenced> parts, Duration logWrite);
}
