package dev.eider.store.postgres;

import dev.eider.config.ConfigException;
import dev.eider.store.FileReferences;
import dev.eider.table.Catalog;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** File columns are not supported on PostgreSQL yet: no table has any, so nothing references a file. */
public final class NoFileReferences implements FileReferences {

    /** Stops the start when a declared table has a file column. */
    public static void refuseFileColumns(Catalog catalog) {
        for (TableDef t : catalog.tables()) {
            t.columns().stream()
                    .filter(c -> c.type().kind() == ColumnType.Kind.FILE)
                    .findFirst()
                    .ifPresent(c -> {
                        throw new ConfigException("tables: column '" + c.name() + "' of table '" + t.name()
                                + "' is of type file, which storage.database (PostgreSQL) does not support yet;"
                                + " use the DuckDB file, or declare the column as string");
                    });
        }
    }

    @Override
    public Set<String> liveAmong(Collection<String> objectKeys) {
        return Set.of();
    }

    @Override
    public Set<String> namedAmong(Collection<String> objectKeys) {
        return Set.of();
    }

    @Override
    public List<Reference> liveBetween(String after, String upTo, Instant uploadedBefore, int limit) {
        return List.of();
    }

    @Override
    public List<PendingDeletion> due(Instant releasedBefore, int limit) {
        return List.of();
    }

    @Override
    public void forget(List<PendingDeletion> done) {}
}
