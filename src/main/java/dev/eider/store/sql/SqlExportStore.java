package dev.eider.store.sql;

import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.export.ExportStore;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The read half of an {@link ExportStore}, the same SQL on every database: the export history as
 * {@link ExportHistory} keeps it. Each database adds how plans are made and their state changed.
 */
public abstract class SqlExportStore implements ExportStore {

    protected final ExportHistory history;
    private final Readers readers;
    private volatile String databaseId;

    /** Reads on {@code readers}; the history's statements are prepared as {@code statements} says. */
    protected SqlExportStore(Readers readers, Statements statements) {
        this.readers = readers;
        this.history = new ExportHistory(statements);
    }

    /** Set once when the schema is made and never changed: read once, not on every export. */
    @Override
    public String databaseId() {
        String id = databaseId;
        if (id == null) {
            id = readers.withReader(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT database_id FROM _eider_meta")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            databaseId = id;
        }
        return id;
    }

    @Override
    public List<ExportPlan> openPlans() {
        return readers.withReader(c -> history.query(c, "state IN " + ExportState.OPEN_SQL + " ORDER BY id"));
    }

    @Override
    public Optional<ExportPlan> find(long id) {
        return readers.withReader(c -> history.query(c, "id = " + id).stream().findFirst());
    }

    @Override
    public List<ExportPlan> list(int limit) {
        return readers.withReader(c -> history.query(c, "true ORDER BY id DESC LIMIT " + limit));
    }

    @Override
    public Optional<ExportPlan> open(String table) {
        return readers.withReader(c -> history.open(c, table));
    }

    @Override
    public int changesSinceSnapshot(String table) {
        return readers.withReader(c -> history.changesSinceSnapshot(c, table));
    }

    @Override
    public Optional<Instant> lastPlannedAt(String table) {
        return readers.withReader(c -> history.lastPlannedAt(c, table));
    }

    @Override
    public List<ExportPlan> chain(String table) {
        return readers.withReader(c -> history.chain(c, table));
    }
}
