package dev.eider.store.sql;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportClosedException;
import dev.eider.export.ExportFile;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The SQL of export plans and their files, on whichever connection the caller holds; plain SQL that DuckDB and PostgreSQL both run. */
public final class ExportHistory {

    private static final String COLUMNS =
            "id, table_name, mode, from_seq, to_seq, state, directory, manifest_key, rows, bytes, error, attempts, planned_at, started_at, finished_at, next_attempt_at";

    private final Statements statements;

    /** The history, preparing its statements as {@code statements} says. */
    public ExportHistory(Statements statements) {
        this.statements = statements;
    }

    public static void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS _eider_exports (id BIGINT PRIMARY KEY, table_name VARCHAR NOT NULL, mode VARCHAR NOT NULL, "
                            + "from_seq BIGINT NOT NULL, to_seq BIGINT NOT NULL, state VARCHAR NOT NULL, directory VARCHAR NOT NULL, "
                            + "manifest_key VARCHAR NOT NULL, rows BIGINT NOT NULL, bytes BIGINT NOT NULL, error VARCHAR, attempts INTEGER NOT NULL, "
                            + "planned_at TIMESTAMPTZ NOT NULL, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, next_attempt_at TIMESTAMPTZ)");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS _eider_export_files (export_id BIGINT NOT NULL, ord INTEGER NOT NULL, key VARCHAR NOT NULL, "
                            + "rows BIGINT NOT NULL, bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL)");
        }
    }

    /**
     * What planning needs to know, in one query: the table's open plan (or null), its watermark, and the next id. Asked
     * by PostgreSQL at every plan; DuckDB keeps them in memory ({@code KeptPlanning}, and its chains).
     */
    public record Planning(Long openId, long watermark, long nextId) {}

    public Planning planning(Connection c, String table) throws SQLException {
        try (Statements.Use use = statements.prepare(
                c,
                "SELECT min(id) FILTER (WHERE table_name = ? AND state IN " + ExportState.OPEN_SQL + "), "
                        + "coalesce(max(to_seq) FILTER (WHERE table_name = ? AND state = 'succeeded'), 0), "
                        + "coalesce(max(id), 0) + 1 FROM _eider_exports")) {
            PreparedStatement ps = use.statement();
            ps.setString(1, table);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long open = rs.getLong(1);
                return new Planning(rs.wasNull() ? null : open, rs.getLong(2), rs.getLong(3));
            }
        }
    }

    public ExportPlan insert(Connection c, long id, String table, Mode mode, long from, long to, Instant now)
            throws SQLException {
        Instant planned = now.truncatedTo(ChronoUnit.MICROS);
        ExportPlan plan = new ExportPlan(
                id, table, mode, from, to, ExportState.PLANNED, List.of(), 0, 0, null, 0, planned, null, null, null);
        try (Statements.Use use = statements.prepare(
                c,
                "INSERT INTO _eider_exports (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, 0, 0, NULL, 0, ?, NULL, NULL, NULL)")) {
            PreparedStatement ps = use.statement();
            ps.setLong(1, id);
            ps.setString(2, table);
            ps.setString(3, mode.wireName());
            ps.setLong(4, from);
            ps.setLong(5, to);
            // Kept for databases made before keys were computed from the plan; never read back.
            ps.setString(6, plan.directory());
            ps.setString(7, plan.manifestKey());
            ps.setObject(8, time(planned));
            ps.executeUpdate();
        }
        return plan;
    }

    /**
     * Sets {@code assignments} (whose parameters are {@code values}; instants are stored as times) on a plan
     * that is still open, in the same statement that checks it: a plan cancelled meanwhile is refused with
     * {@link ExportClosedException} and left as it is. One statement rather than a look and then an update:
     * it is on every export's path, and on PostgreSQL a cancel cannot slip in between. The statement's text
     * does not change from export to export, so that it can be kept prepared.
     */
    private void updateOpen(Connection c, long id, String assignments, Object... values) throws SQLException {
        int updated;
        try (Statements.Use use = statements.prepare(
                c, "UPDATE _eider_exports SET " + assignments + " WHERE id = ? AND state IN " + ExportState.OPEN_SQL)) {
            PreparedStatement ps = use.statement();
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i] instanceof Instant t ? time(t) : values[i]);
            }
            ps.setLong(values.length + 1, id);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            requireOpen(c, id);
            throw new IllegalStateException("export " + id + " is open but was not updated");
        }
    }

    /**
     * Records that attempt number {@code attempt} failed, and when the plan is tried again; a plan cancelled
     * or finished meanwhile stays as it is.
     */
    public void failed(Connection c, ExportPlan attempt, Instant now, String error, Instant nextAttemptAt)
            throws SQLException {
        // started_at is the latest attempt's, a failed one's too (it was left from the one before, or null).
        try (PreparedStatement ps = c.prepareStatement("UPDATE _eider_exports SET state = 'failed', attempts = ?, "
                + "started_at = ?, finished_at = ?, error = ?, next_attempt_at = ? WHERE id = ? AND state IN "
                + ExportState.OPEN_SQL)) {
            ps.setInt(1, attempt.attempts());
            ps.setObject(2, time(attempt.startedAt()));
            ps.setObject(3, time(now));
            ps.setString(4, error);
            ps.setObject(5, time(nextAttemptAt));
            ps.setLong(6, attempt.id());
            ps.executeUpdate();
        }
    }

    /**
     * Ends an open plan as {@code state} (succeeded or skipped) as of the plan's last attempt, with its
     * counts; the caller's transaction also drops what the plan kept. Refuses with
     * {@link ExportClosedException} when the plan is no longer open (cancelled meanwhile).
     */
    public void finish(Connection c, ExportPlan plan, ExportState state, Instant now) throws SQLException {
        updateOpen(
                c,
                plan.id(),
                "state = ?, finished_at = ?, error = NULL, next_attempt_at = NULL, attempts = ?, started_at = ?,"
                        + " rows = ?, bytes = ?",
                state.wireName(),
                now,
                plan.attempts(),
                plan.startedAt(),
                plan.rows(),
                plan.bytes());
    }

    /** Ends an open plan as cancelled, with the reason, and the attempt at work on it that did not record itself. */
    public void cancel(Connection c, long id, Instant now, String reason, Optional<ExportPlan> attempt)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE _eider_exports SET state = 'cancelled', finished_at = ?, "
                        + "error = ?, next_attempt_at = NULL"
                        + (attempt.isPresent() ? ", attempts = ?, started_at = ?" : "") + " WHERE id = ?")) {
            int i = 0;
            ps.setObject(++i, time(now));
            ps.setString(++i, reason);
            if (attempt.isPresent()) {
                ps.setInt(++i, attempt.get().attempts());
                ps.setObject(++i, time(attempt.get().startedAt()));
            }
            ps.setLong(++i, id);
            ps.executeUpdate();
        }
    }

    /**
     * A cancelled plan's attempt must not record anything more (it runs on, unaware, until it next gets
     * here): refuses with {@link ExportClosedException} unless the plan is still open.
     */
    public void requireOpen(Connection c, long id) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT state FROM _eider_exports WHERE id = " + id)) {
            if (!rs.next()) {
                throw new IllegalStateException("no export with id " + id);
            }
            ExportState state = ExportState.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
            if (!state.isOpen()) {
                throw new ExportClosedException(id, state);
            }
        }
    }

    /**
     * The attempt's number, start and files (replacing an earlier attempt's), and the plan marked running.
     * Refuses with {@link ExportClosedException} when the plan is no longer open (cancelled meanwhile).
     */
    public void recordAttempt(Connection c, ExportPlan attempt, List<ExportFile> files) throws SQLException {
        long id = attempt.id();
        long rows = files.stream().mapToLong(ExportFile::rows).sum();
        long bytes = files.stream().mapToLong(ExportFile::bytes).sum();
        updateOpen(
                c,
                id,
                "state = 'running', attempts = ?, started_at = ?, error = NULL, next_attempt_at = NULL, rows = ?,"
                        + " bytes = ?",
                attempt.attempts(),
                attempt.startedAt(),
                rows,
                bytes);
        if (attempt.attempts() > 1 || !attempt.files().isEmpty()) {
            // Only an earlier attempt can have recorded files (the first attempt's number is recorded with them),
            // or this one, when it adopts the files of a cancelled plan's manifest instead of its own.
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM _eider_export_files WHERE export_id = " + id);
            }
        }
        if (!files.isEmpty()) {
            try (Statements.Use use =
                    statements.prepare(c, "INSERT INTO _eider_export_files VALUES (?, ?, ?, ?, ?, ?)")) {
                PreparedStatement ps = use.statement();
                for (int i = 0; i < files.size(); i++) {
                    ExportFile f = files.get(i);
                    ps.setLong(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, f.key());
                    ps.setLong(4, f.rows());
                    ps.setLong(5, f.bytes());
                    ps.setString(6, f.sha256());
                    ps.executeUpdate();
                }
            }
        }
    }

    public Optional<ExportPlan> open(Connection c, String table) throws SQLException {
        return query(
                        c,
                        "table_name = " + Sql.literal(table) + " AND state IN " + ExportState.OPEN_SQL
                                + " ORDER BY id LIMIT 1")
                .stream()
                .findFirst();
    }

    public int changesSinceSnapshot(Connection c, String table) throws SQLException {
        String t = Sql.literal(table);
        return (int) single(
                c,
                "SELECT count(*) FROM _eider_exports WHERE state = 'succeeded' AND mode = 'changes' AND table_name = "
                        + t
                        + " AND id > (SELECT coalesce(max(id), 0) FROM _eider_exports WHERE state = 'succeeded' AND mode = 'snapshot' AND table_name = "
                        + t + ")");
    }

    public Optional<Instant> lastPlannedAt(Connection c, String table) throws SQLException {
        List<ExportPlan> newest = query(c, "table_name = " + Sql.literal(table) + " ORDER BY id DESC LIMIT 1");
        return newest.stream().findFirst().map(ExportPlan::plannedAt);
    }

    /**
     * The succeeded exports a head lists: the newest snapshot (by its range's end, then id) and every change
     * export from its end on, one per manifest. One query: it is on every export's path.
     */
    public List<ExportPlan> chain(Connection c, String table) throws SQLException {
        String t = Sql.literal(table);
        String base = "(SELECT coalesce(max(to_seq), 0) FROM _eider_exports WHERE state = 'succeeded'"
                + " AND mode = 'snapshot' AND table_name = " + t + ")";
        ExportPlan snapshot = null;
        Map<String, ExportPlan> changes = new LinkedHashMap<>();
        for (ExportPlan p : plans(
                c,
                "state = 'succeeded' AND table_name = " + t + " AND (mode = 'snapshot' AND to_seq = " + base
                        + " OR mode = 'changes' AND from_seq >= " + base + ") ORDER BY from_seq, to_seq, id")) {
            if (p.mode() == Mode.SNAPSHOT) {
                // Ordered by id among snapshots of the same sequence: the last planned wins.
                snapshot = p;
            } else {
                changes.putIfAbsent(p.manifestKey(), p);
            }
        }
        List<ExportPlan> chain = new ArrayList<>();
        if (snapshot != null) {
            chain.add(snapshot);
        }
        chain.addAll(changes.values());
        return chain;
    }

    /** Plans matching a SQL condition (which may end in ORDER BY / LIMIT), with their files. */
    public List<ExportPlan> query(Connection c, String condition) throws SQLException {
        List<ExportPlan> plans = plans(c, condition);
        if (plans.isEmpty()) {
            return plans;
        }
        Map<Long, List<ExportFile>> files = files(c, plans);
        List<ExportPlan> withFiles = new ArrayList<>(plans.size());
        for (ExportPlan p : plans) {
            withFiles.add(withFiles(p, files.getOrDefault(p.id(), List.of())));
        }
        return withFiles;
    }

    /** Plans matching a SQL condition, without their files. */
    private static List<ExportPlan> plans(Connection c, String condition) throws SQLException {
        List<ExportPlan> plans = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM _eider_exports WHERE " + condition)) {
            while (rs.next()) {
                plans.add(plan(rs));
            }
        }
        return plans;
    }

    private static Map<Long, List<ExportFile>> files(Connection c, List<ExportPlan> plans) throws SQLException {
        StringBuilder ids = new StringBuilder();
        for (ExportPlan p : plans) {
            ids.append(ids.length() == 0 ? "" : ", ").append(p.id());
        }
        Map<Long, List<ExportFile>> files = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT export_id, key, rows, bytes, sha256 FROM _eider_export_files WHERE export_id IN (" + ids
                                + ") ORDER BY export_id, ord")) {
            while (rs.next()) {
                files.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new ExportFile(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
            }
        }
        return files;
    }

    private static ExportPlan withFiles(ExportPlan p, List<ExportFile> files) {
        return new ExportPlan(
                p.id(),
                p.table(),
                p.mode(),
                p.fromSeq(),
                p.toSeq(),
                p.state(),
                files,
                p.rows(),
                p.bytes(),
                p.error(),
                p.attempts(),
                p.plannedAt(),
                p.startedAt(),
                p.finishedAt(),
                p.nextAttemptAt());
    }

    private static ExportPlan plan(ResultSet rs) throws SQLException {
        return new ExportPlan(
                rs.getLong(1),
                rs.getString(2),
                Mode.parse(rs.getString(3)),
                rs.getLong(4),
                rs.getLong(5),
                ExportState.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                List.of(),
                rs.getLong(9),
                rs.getLong(10),
                rs.getString(11),
                rs.getInt(12),
                instant(rs, 13),
                instant(rs, 14),
                instant(rs, 15),
                instant(rs, 16));
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime time(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
