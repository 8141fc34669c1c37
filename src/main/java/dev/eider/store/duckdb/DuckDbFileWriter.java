package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.WriteBatch;
import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The writer's part for file columns, inside its transaction: a change sets one reference and
 * records the one it replaces as a pending deletion (the outbox); a record's upsert keeps its
 * references, and its delete clears them into the outbox. So a reference and the deletion of the
 * object it replaced commit together or not at all.
 */
final class DuckDbFileWriter {

    private final Connection connection;

    DuckDbFileWriter(Connection connection) {
        this.connection = connection;
    }

    static boolean hasFiles(TableDef t) {
        return !fileColumns(t).isEmpty();
    }

    static List<Column> fileColumns(TableDef t) {
        return t.columns().stream()
                .filter(c -> c.type().kind() == ColumnType.Kind.FILE)
                .toList();
    }

    /**
     * Sets (or clears) one file column of a live record at {@code seq}. When the record is gone (a
     * delete committed first), the new object goes straight to the outbox instead.
     */
    void apply(TableDef t, Object key, WriteBatch.FileChange change, long seq, Long horizon) throws SQLException {
        String table = quote(t.name());
        String column = quote(change.column());
        String where = " WHERE " + Sql.key(t) + " = ?";
        if (horizon != null) {
            // An open export reads the table as of its horizon: keep the version this change replaces.
            try (PreparedStatement ps = connection.prepareStatement("INSERT OR IGNORE INTO " + Sql.preimages(t) + " ("
                    + Sql.storedColumns(t) + ") SELECT " + Sql.storedColumns(t) + " FROM " + table + where
                    + " AND _seq <= " + horizon)) {
                ps.setObject(1, key);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + Sql.FILE_OUTBOX + " SELECT " + column
                + ".key, ?, ?, now() FROM " + table + where + " AND " + column + " IS NOT NULL")) {
            ps.setString(1, t.name());
            ps.setLong(2, seq);
            ps.setObject(3, key);
            ps.executeUpdate();
        }
        FileRef ref = change.ref();
        int updated;
        String value = ref == null
                ? "NULL"
                : "{'key': ?, 'size': ?, 'sha256': ?, 'content_type': ?, 'uploaded_at': ?::TIMESTAMPTZ}";
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE " + table + " SET " + column + " = " + value + ", _seq = ?" + where + " AND NOT _deleted")) {
            int i = 1;
            if (ref != null) {
                ps.setString(i++, ref.key());
                ps.setLong(i++, ref.size());
                ps.setString(i++, ref.sha256());
                ps.setString(i++, ref.contentType());
                ps.setObject(i++, OffsetDateTime.ofInstant(ref.uploadedAt(), ZoneOffset.UTC));
            }
            ps.setLong(i++, seq);
            ps.setObject(i, key);
            updated = ps.executeUpdate();
        }
        if (updated == 0 && ref != null) {
            try (PreparedStatement ps =
                    connection.prepareStatement("INSERT INTO " + Sql.FILE_OUTBOX + " VALUES (?, ?, ?, now())")) {
                ps.setString(1, ref.key());
                ps.setString(2, t.name());
                ps.setLong(3, seq);
                ps.executeUpdate();
            }
        }
    }

    /**
     * The writer's merge for a table with file columns: upserts keep the stored references (a
     * JSON body never carries them), deletes clear them and queue their objects for deletion.
     * {@code _gone} marks keys deleted anywhere in the source, so a delete followed by a new
     * upsert of the key in one batch still clears the old references.
     */
    static void merge(Statement st, TableDef t, String source, String sequence, boolean keysMayRepeat)
            throws SQLException {
        String key = Sql.key(t);
        String rows = "(SELECT " + Sql.columns(t) + ", " + sequence + " AS _seq, _deleted, "
                + (keysMayRepeat ? "bool_or(_deleted) OVER (PARTITION BY " + key + ")" : "_deleted") + " AS _gone FROM "
                + source
                + (keysMayRepeat ? " QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY _seq DESC) = 1" : "")
                + ")";
        String table = quote(t.name());
        for (Column f : fileColumns(t)) {
            String c = quote(f.name());
            st.execute("INSERT INTO " + Sql.FILE_OUTBOX + " SELECT t." + c + ".key, '" + t.name()
                    + "', s._seq, now() FROM " + rows + " s JOIN " + table + " t ON s." + key + " = t." + key
                    + " WHERE s._gone AND t." + c + " IS NOT NULL");
        }
        String values = t.columns().stream()
                .map(c -> c.type().kind() == ColumnType.Kind.FILE
                        ? "CASE WHEN s._gone THEN NULL ELSE t." + quote(c.name()) + " END"
                        : "s." + quote(c.name()))
                .collect(Collectors.joining(", "));
        st.execute("INSERT OR REPLACE INTO " + table + " (" + Sql.storedColumns(t) + ") SELECT " + values
                + ", s._seq, s._deleted FROM " + rows + " s LEFT JOIN " + table + " t ON s." + key + " = t." + key
                + " ORDER BY s." + key);
    }
}
