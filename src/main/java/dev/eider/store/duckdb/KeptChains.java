package dev.eider.store.duckdb;

import dev.eider.export.ExportPlan;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each table's export chain as last read from the file or extended by a finish, with the count of the table's
 * finishes it is true for. A chain read while a finish of its table commits is not kept: the count is taken before
 * the read, and the finish counts after its commit. Finishes are counted under the writer's lock, by the one
 * {@link DuckDbExportStore} of a database.
 */
final class KeptChains {

    private final Map<String, Long> finishes = new ConcurrentHashMap<>();
    private final Map<String, Kept> chains = new ConcurrentHashMap<>();

    private record Kept(long finishes, List<ExportPlan> chain) {}

    /** The table's count of finishes, to be taken before its chain is read. */
    long finishes(String table) {
        return finishes.getOrDefault(table, 0L);
    }

    /** The table's chain, if one was kept as of {@code finishes}. */
    Optional<List<ExportPlan>> get(String table, long finishes) {
        Kept kept = chains.get(table);
        return kept != null && kept.finishes() == finishes ? Optional.of(kept.chain()) : Optional.empty();
    }

    /** Keeps the table's chain as read (or extended) when its count was {@code finishes}; a newer one stays. */
    void keep(String table, long finishes, List<ExportPlan> chain) {
        chains.merge(
                table,
                new Kept(finishes, List.copyOf(chain)),
                (old, now) -> old.finishes() > now.finishes() ? old : now);
    }

    /** Counts a finish of the table (after its commit, or its failure); answers the new count. */
    long finished(String table) {
        return finishes.merge(table, 1L, Long::sum);
    }
}
