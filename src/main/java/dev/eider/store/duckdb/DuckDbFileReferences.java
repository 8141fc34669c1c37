package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.FileReferences;
import dev.eider.store.sql.Sql;
import dev.eider.table.Catalog;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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
    public Set<String> liveAmong(Collection<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Set.of();
        }
        return store.withReader(c -> {
            Set<String> named = new HashSet<>();
            for (TableDef t : catalog.tables()) {
                for (Column f : DuckDbFileWriter.fileColumns(t)) {
                    String key = quote(f.name()) + ".key";
                    collect(
                            c,
                            "SELECT " + key + " FROM " + quote(t.name()) + " WHERE NOT _deleted AND " + key + " IN "
                                    + placeholders(objectKeys.size()),
                            objectKeys,
                            named);
                }
            }
            return named;
        });
    }

    @Override
    public Set<String> namedAmong(Collection<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Set.of();
        }
        Set<String> named = new HashSet<>(liveAmong(objectKeys));
        store.withReader(c -> {
            collect(
                    c,
                    "SELECT object_key FROM " + Sql.FILE_OUTBOX + " WHERE object_key IN "
                            + placeholders(objectKeys.size()),
                    objectKeys,
                    named);
            return null;
        });
        return named;
    }

    @Override
    public List<Reference> liveBetween(String after, String upTo, Instant uploadedBefore, int limit) {
        return store.withReader(c -> {
            // Each column's first `limit` in key order, then the first `limit` of them all.
            List<Reference> refs = new ArrayList<>();
            for (TableDef t : catalog.tables()) {
                for (Column f : DuckDbFileWriter.fileColumns(t)) {
                    String col = quote(f.name());
                    String sql = "SELECT " + Sql.key(t) + ", " + col + ".key FROM " + quote(t.name())
                            + " WHERE NOT _deleted AND " + col + ".key > ?"
                            + (upTo == null ? "" : " AND " + col + ".key <= ?") + " AND " + col
                            + ".uploaded_at < ? ORDER BY " + col + ".key LIMIT ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, after);
                        if (upTo != null) {
                            ps.setString(i++, upTo);
                        }
                        ps.setObject(i++, OffsetDateTime.ofInstant(uploadedBefore, ZoneOffset.UTC));
                        ps.setInt(i, limit);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                refs.add(new Reference(t.name(), f.name(), rs.getObject(1), rs.getString(2)));
                            }
                        }
                    }
                }
            }
            refs.sort(Comparator.comparing(Reference::objectKey));
            return refs.size() > limit ? List.copyOf(refs.subList(0, limit)) : refs;
        });
    }

    private static void collect(Connection c, String sql, Collection<String> keys, Set<String> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String k : keys) {
                ps.setString(i++, k);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(rs.getString(1));
                }
            }
        }
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
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
