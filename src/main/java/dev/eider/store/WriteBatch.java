package dev.eider.store;

import java.util.List;

/**
 * What the writer commits in one transaction, in order: the rows of small requests and the staged
 * rows of large ones. Sequences are assigned in this order, so the last write to a key wins.
 */
public record WriteBatch(List<Part> parts) {

  public WriteBatch {
    parts = List.copyOf(parts);
  }

  /** One request's share of a batch. */
  public sealed interface Part permits Rows, Staged {
    long size();
  }

  /** Rows held in memory. */
  public record Rows(List<Mutation> mutations) implements Part {
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
