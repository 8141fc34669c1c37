package dev.eider.store;

import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.util.List;
import java.util.Objects;

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
    public sealed interface Part permits Rows, Staged, Files {
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

    /**
     * Changes to one record's files, with the record itself when it comes in the same request
     * (multipart POST). The upsert takes the first sequence, each change the next one. The store
     * records every reference a change replaces as a pending deletion in the same transaction.
     *
     * @param upsert the record's new values (its file columns untouched), or null
     */
    public record Files(TableDef table, Object key, Mutation upsert, List<FileChange> changes) implements Part {
        public Files {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            changes = List.copyOf(changes);
            if (upsert == null && changes.isEmpty()) {
                throw new IllegalArgumentException("a file write needs a record or a file change");
            }
        }

        @Override
        public long size() {
            return (upsert == null ? 0 : 1) + changes.size();
        }
    }

    /** Sets a file column to a new reference, or clears it (null). */
    public record FileChange(String column, FileRef ref) {
        public FileChange {
            Objects.requireNonNull(column, "column");
        }
    }
}
