package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.FileReferences;
import dev.eider.store.sql.Sql;
import dev.eider.table.Catalog;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@link FileReferences} on the DuckDB file: file columns of every table and the outbox table. */
public final class DuckDbFileReferences implements FileReferences {

    private final DuckDbStore store;
    private final Catalog catalog;

    public DuckDbFileReferences(DuckDbStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    @Override
    public Set<String> liveKeys() {
        Set<String> keys = new HashSet<>();
        liveReferences().forEach(r -> keys.add(r.objectKey()));
        return keys;
    }

    @Override
    public List<Reference> liveReferences() {
        return store.withReader(c -> {
            List<Reference> refs = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                for (TableDef t : catalog.tables()) {
                    for (Column f : DuckDbFileWriter.fileColumns(t)) {
                        String col = quote(f.name());
                        try (ResultSet rs = st.executeQuery("SELECT " + Sql.key(t) + ", " + col + ".key FROM "
                                + quote(t.name()) + " WHERE NOT _deleted AND " + col + " IS NOT NULL")) {
                            while (rs.next()) {
                                refs.add(new Reference(t.name(), f.name(), rs.getObject(1), rs.getString(2)));
                            }
                        }
                    }
                }
            }
            return refs;
        });
    }

    @Override
    public Set<String> pendingKeys() {
        return store.withReader(c -> {
            Set<String> keys = new HashSet<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT object_key FROM " + Sql.FILE_OUTBOX)) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        });
    }

    @Override
    public List<PendingDeletion> due(Instant releasedBefore, int limit) {
        return store.withReader(c -> {
            List<PendingDeletion> due = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT o.object_key, o.table_name, o.seq, o.released_at FROM "
                            + Sql.FILE_OUTBOX
                            + " o WHERE o.released_at <= ? AND o.seq <= (SELECT coalesce(max(e.to_seq), 0)"
                            + " FROM _eider_exports e WHERE e.table_name = o.table_name AND e.state = 'succeeded')"
                            + " ORDER BY o.seq LIMIT ?")) {
                ps.setObject(1, OffsetDateTime.ofInstant(releasedBefore, ZoneOffset.UTC));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new PendingDeletion(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
            } catch (SQLException e) {
                if (e.getMessage().contains("_eider_exports")) {
                    return due; // no export has ever been planned: nothing is exported, nothing is due
                }
                throw e;
            }
            return due;
        });
    }

    @Override
    public void forget(List<PendingDeletion> done) {
        if (done.isEmpty()) {
            return;
        }
        store.exclusive(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM " + Sql.FILE_OUTBOX + " WHERE object_key = ? AND seq = ?")) {
                for (PendingDeletion d : done) {
                    ps.setString(1, d.objectKey());
                    ps.setLong(2, d.sequence());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }
}
