package dev.eider.store;

import java.util.List;

/**
 * What the store applies in one transaction: requests' rows with the sequences the write-ahead log
 * gave them, in sequence order, so the last write to a key wins.
 */
public record WriteBatch(List<Sequenced> parts) {

    public WriteBatch {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one part");
        }
    }

    /** The highest sequence in the batch. */
    public long lastSequence() {
        Sequenced last = parts.get(parts.size() - 1);
        return last.firstSequence() + last.part().size() - 1;
    }

    public long rows() {
        return parts.stream().mapToLong(p -> p.part().size()).sum();
    }

    /** A part whose rows carry the sequences {@code firstSequence}, {@code firstSequence + 1}, ... */
    public record Sequenced(Part part, long firstSequence) {}

    /** One request's rows. */
    public sealed interface Part permits Rows, Staged {
        long size();
    }

    /** Rows held in memory. */
    public record Rows(List<Mutation> mutations) implements Part {
        public Rows {
            mutations = List.copyOf(mutations);
        }

        @Override
        public long size() {
            return mutations.size();
        }
    }

    /** Rows staged in the database while a large body streamed in. */
    public record Staged(StagedRows rows) implements Part {
        @Override
        public long size() {
            return rows.size();
        }
    }
}
