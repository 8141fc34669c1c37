package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.Mutation;
import dev.eider.store.sql.Sql;
import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group of small requests' rows into one table as multi-row {@code INSERT … VALUES … ON CONFLICT}
 * statements: no temporary table to create per transaction, which dominated small commits. The last
 * write per key wins (in Java, before the statement); keys go in sorted order so that instances lock
 * overlapping keys in the same order.
 */
final class PgUpsert {

    /** PostgreSQL takes at most 65,535 parameters per statement. */
    private static final int MAX_PARAMETERS = 30_000;

    private PgUpsert() {}

    /** Answers the highest sequence given. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static long upsert(Connection c, TableDef t, List<Mutation> mutations) throws SQLException {
        Map<Object, Mutation> last = new LinkedHashMap<>();
        for (Mutation m : mutations) {
            last.put(m.key(), m);
        }
        List<Mutation> rows = new ArrayList<>(new TreeMap<Object, Mutation>((Map) last).values());
        int perStatement = Math.max(1, MAX_PARAMETERS / (t.columns().size() + 1));
        long highest = 0;
        for (int from = 0; from < rows.size(); from += perStatement) {
            List<Mutation> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
            try (PreparedStatement ps = c.prepareStatement(statement(t, chunk.size()))) {
                int p = 1;
                for (Mutation m : chunk) {
                    for (int i = 0; i < t.columns().size(); i++) {
                        Object v = m.isDelete() ? (i == t.keyIndex() ? m.key() : null) : m.values()[i];
                        bind(ps, p++, t.columns().get(i), v);
                    }
                    ps.setBoolean(p++, m.isDelete());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    highest = Math.max(highest, rs.getLong(1));
                }
            }
        }
        return highest;
    }

    private static String statement(TableDef t, int rows) {
        StringBuilder one = new StringBuilder("(");
        for (int i = 0; i < t.columns().size(); i++) {
            one.append("?, ");
        }
        one.append("nextval('").append(PgSql.SEQUENCE).append("'), ?, pg_current_xact_id())");
        StringBuilder values = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            values.append(r == 0 ? "" : ", ").append(one);
        }
        return "WITH m AS (INSERT INTO " + quote(t.name()) + " (" + Sql.columns(t) + ", _seq, _deleted, _xid) VALUES "
                + values + PgSql.onConflict(t) + " RETURNING _seq) SELECT coalesce(max(_seq), 0) FROM m";
    }

    private static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType(column));
        } else if (value instanceof Instant instant) {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else {
            ps.setObject(index, value, sqlType(column));
        }
    }

    private static int sqlType(Column c) {
        return switch (c.type().kind()) {
            case STRING, JSON -> Types.VARCHAR;
            case INT64 -> Types.BIGINT;
            case FLOAT64 -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> Types.DATE;
            case DECIMAL -> Types.NUMERIC;
            case FILE -> Types.OTHER;
        };
    }
}
