package dev.eider.store.duckdb;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Commits write batches on the writer's connection, in one transaction each. Small requests' rows
 * go through the table's staging table by appender; a large request's rows are merged from the file
 * they were staged in ({@link DuckDbStage}). Either way only the highest sequence per key is kept, and
 * parts are merged in sequence order, so the last write to a key wins.
 *
 * <p>In tables without file columns, rows replace stored ones by deleting the stored rows of their
 * keys and inserting the newest row per key, in the same transaction, so replaced rows land at the table's tail where a change
 * export's sequence filter finds them. Up to {@link KeyList#MAX_KEYS} keys are deleted through the
 * primary-key index; more are deleted through one join that reads the table's key column once,
 * which past about 2,000 keys costs less than looking each up (on a 10M-row table, 4 µs a key at
 * 16,000 keys against 29 µs through the index, most of that DuckDB planning the list). DuckDB plans
 * {@code INSERT OR REPLACE} as a join that builds its hash table over every key of the table: ten
 * times slower at 10M rows (bench/RESULTS.md). Tables with file columns still take it ({@link
 * DuckDbFileWriter#merge}), since their stored file references carry over to the new row.
 */
final class DuckDbWriter {

    private final DuckDBConnection connection;
    private final Map<String, Long> horizons = new ConcurrentHashMap<>();
    /**
     * Tables whose kept versions are known to be none: forgotten since this process opened the file, and no
     * write kept one since. Lets a change export's end skip its delete of them (docs/decisions.md).
     */
    private final Set<String> noVersionsKept = ConcurrentHashMap.newKeySet();

    private final DuckDbFileWriter fileWriter;
    private long lastSequence;
    /** Rows gathered per table and not applied yet ({@link #gather}), and the last sequence among them. */
    private final Map<TableDef, Long> gathered = new LinkedHashMap<>();

    private long lastGathered;

    DuckDbWriter(DuckDBConnection connection, long lastSequence) throws SQLException {
        this.connection = connection;
        this.lastSequence = lastSequence;
        this.fileWriter = new DuckDbFileWriter(connection);
    }

    long lastSequence() {
        return lastSequence;
    }

    /**
     * Appends the batch's rows (small requests' only) to their tables' gathering tables and commits: they
     * are durable, and leave the Java heap, but are applied only by {@link #applyGathered} or the next
     * {@link #apply}. Appending costs no index work, so the fixed cost of replacing rows (reading the key
     * column, or planning a list of keys) is paid once for all the rows gathered.
     */
    void gather(WriteBatch batch) throws SQLException {
        Map<TableDef, DuckDBAppender> appenders = new LinkedHashMap<>();
        Map<TableDef, Long> added = new LinkedHashMap<>();
        DuckDbTransaction.begin(connection);
        try {
            for (WriteBatch.Sequenced s : batch.parts()) {
                if (!(s.part() instanceof WriteBatch.Rows rows)) {
                    throw new IllegalArgumentException("only small requests' rows are gathered");
                }
                long seq = s.firstSequence();
                for (Mutation m : rows.mutations()) {
                    DuckDBAppender a = appenders.get(m.table());
                    if (a == null) {
                        a = connection.createAppender(
                                "main", "_eider_gather_" + m.table().name());
                        appenders.put(m.table(), a);
                    }
                    RowCodec.appendStored(a, m.table(), m.key(), m.values(), seq++);
                    added.merge(m.table(), 1L, Long::sum);
                }
            }
            for (DuckDBAppender a : appenders.values()) {
                a.close();
            }
            DuckDbTransaction.commit(connection);
        } catch (SQLException | RuntimeException e) {
            appenders.values().forEach(DuckDbWriter::closeQuietly);
            DuckDbTransaction.rollback(connection, e);
            throw e;
        }
        added.forEach((t, n) -> gathered.merge(t, n, Long::sum));
        lastGathered = batch.lastSequence();
    }

    /** Applies every gathered row in one transaction (nothing when none is gathered). */
    void applyGathered() throws SQLException {
        if (gathered.isEmpty()) {
            return;
        }
        DuckDbTransaction.begin(connection);
        try (Statement st = connection.createStatement()) {
            applyGathered(st);
            commit(st, lastGathered);
        } catch (SQLException | RuntimeException e) {
            DuckDbTransaction.rollback(connection, e);
            throw e;
        }
    }

    /** Replaces rows by the gathered ones, in the open transaction; forgotten once it commits. */
    private void applyGathered(Statement st) throws SQLException {
        for (Map.Entry<TableDef, Long> g : gathered.entrySet()) {
            TableDef t = g.getKey();
            String source = Sql.gathered(t);
            Optional<String> keyList = DuckDbFileWriter.hasFiles(t) || g.getValue() > KeyList.MAX_KEYS
                    ? Optional.empty()
                    : KeyList.of(t, distinctKeys(st, t, source));
            replace(st, t, source, keyList);
        }
    }

    private static List<Object> distinctKeys(Statement st, TableDef t, String source) throws SQLException {
        List<Object> keys = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT DISTINCT " + Sql.key(t) + " FROM " + source)) {
            while (rs.next()) {
                keys.add(rs.getObject(1));
            }
        }
        return keys;
    }

    /** Records the batch's last sequence and commits; the gathered rows are applied from here on. */
    private void commit(Statement st, long last) throws SQLException {
        st.execute("UPDATE _eider_meta SET last_seq = " + last);
        DuckDbTransaction.commit(connection);
        lastSequence = last;
        gathered.clear();
    }

    /**
     * Applies the batch in one transaction. A staged request into a table without file columns whose keys
     * are not known to be distinct is first merged as if they were (looking for repeated keys first read its
     * file once more: about a quarter of the merge). Where a key repeats, the plain insert breaks the primary
     * key, the transaction rolls back, and the batch is applied again keeping the newest row per key. Any other
     * failure is the batch's own, and is not retried here.
     */
    void apply(WriteBatch batch) throws SQLException {
        try {
            applyOnce(batch);
        } catch (SQLException e) {
            List<DuckDbStage> guessed =
                    stages(batch).filter(DuckDbWriter::guessesDistinctKeys).toList();
            if (guessed.isEmpty() || !brokePrimaryKey(e)) {
                throw e;
            }
            guessed.forEach(DuckDbStage::foundRepeats);
            try {
                applyOnce(batch);
            } catch (SQLException | RuntimeException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
        releaseStaged(batch);
    }

    /** DuckDB's words for a row whose key is already in the table (or twice in what is inserted). */
    private static boolean brokePrimaryKey(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("Constraint Error") && message.contains("PRIMARY KEY");
    }

    private static Stream<DuckDbStage> stages(WriteBatch batch) {
        return batch.parts().stream()
                .filter(s -> s.part() instanceof WriteBatch.Staged)
                .map(s -> (DuckDbStage) ((WriteBatch.Staged) s.part()).rows());
    }

    private static boolean guessesDistinctKeys(DuckDbStage stage) {
        return !stage.keysIncrease() && !stage.repeatsFound() && !DuckDbFileWriter.hasFiles(stage.table());
    }

    private void applyOnce(WriteBatch batch) throws SQLException {
        Map<TableDef, Appended> appenders = new LinkedHashMap<>();
        DuckDbTransaction.begin(connection);
        try (Statement st = connection.createStatement()) {
            // Gathered rows have lower sequences than the batch's.
            applyGathered(st);
            for (WriteBatch.Sequenced s : batch.parts()) {
                if (s.part() instanceof WriteBatch.Rows rows) {
                    long seq = s.firstSequence();
                    for (Mutation m : rows.mutations()) {
                        append(appender(appenders, m.table()), m, seq++);
                    }
                } else if (s.part() instanceof WriteBatch.Staged staged) {
                    DuckDbStage stage = (DuckDbStage) staged.rows();
                    // Rows appended before this part have lower sequences: merge them first.
                    flush(st, appenders, stage.table());
                    mergeStaged(st, stage, s.firstSequence());
                } else if (s.part() instanceof WriteBatch.Files files) {
                    flush(st, appenders, files.table());
                    long seq = s.firstSequence();
                    if (files.upsert() != null) {
                        append(appender(appenders, files.table()), files.upsert(), seq++);
                        flush(st, appenders, files.table());
                    }
                    for (WriteBatch.FileChange change : files.changes()) {
                        fileWriter.apply(files.table(), files.key(), change, seq++, keepingVersionsAt(files.table()));
                    }
                }
            }
            for (TableDef t : List.copyOf(appenders.keySet())) {
                flush(st, appenders, t);
            }
            commit(st, batch.lastSequence());
        } catch (SQLException | RuntimeException e) {
            for (Appended a : appenders.values()) {
                closeQuietly(a.appender());
            }
            stages(batch).forEach(DuckDbStage::rolledBack);
            // The batch's own failure is the one to report; a failed rollback goes with it.
            DuckDbTransaction.rollback(connection, e);
            throw e;
        }
    }

    /** The staged rows are merged by the commit: their files are not needed any more. */
    private static void releaseStaged(WriteBatch batch) {
        for (WriteBatch.Sequenced s : batch.parts()) {
            if (s.part() instanceof WriteBatch.Staged staged) {
                staged.rows().close();
            }
        }
    }

    /** What small requests appended to a table's staging table in this batch, and their keys. */
    private record Appended(DuckDBAppender appender, Set<Object> keys) {}

    private Appended appender(Map<TableDef, Appended> appenders, TableDef t) throws SQLException {
        Appended a = appenders.get(t);
        if (a == null) {
            a = new Appended(connection.createAppender("main", "_eider_stage_w_" + t.name()), new LinkedHashSet<>());
            appenders.put(t, a);
        }
        return a;
    }

    private static void append(Appended a, Mutation m, long seq) throws SQLException {
        RowCodec.appendStored(a.appender(), m.table(), m.key(), m.values(), seq);
        a.keys().add(m.key());
    }

    /** Merges and empties what small requests appended for the table so far. */
    private void flush(Statement st, Map<TableDef, Appended> appenders, TableDef t) throws SQLException {
        Appended a = appenders.remove(t);
        if (a == null) {
            return;
        }
        a.appender().close();
        replace(st, t, Sql.writerStage(t), DuckDbFileWriter.hasFiles(t) ? Optional.empty() : KeyList.of(t, a.keys()));
    }

    /**
     * Replaces stored rows by the newest per key of {@code source} (a table of stored rows), through the
     * index for the keys of {@code keyList} when given, else through one join; then empties {@code source}.
     */
    private void replace(Statement st, TableDef t, String source, Optional<String> keyList) throws SQLException {
        if (keyList.isPresent()) {
            replaceThroughIndex(st, t, source, keyList.get());
        } else {
            merge(st, t, source, "_seq", true);
        }
        st.execute("DELETE FROM " + source);
    }

    /**
     * Deletes the stored rows of the keys through the index, then inserts the newest row per key
     * from {@code source}. Deleting and inserting a key in one transaction is one atomic change.
     */
    private void replaceThroughIndex(Statement st, TableDef t, String source, String keyList) throws SQLException {
        String table = quote(t.name());
        String where = " WHERE " + Sql.key(t) + " IN " + keyList;
        Long horizon = keepingVersionsAt(t);
        if (horizon != null) {
            // As in merge(). Materialised: the horizon's filter on the scan would make it a table scan.
            st.execute("INSERT OR IGNORE INTO " + Sql.preimages(t) + " (" + Sql.storedColumns(t)
                    + ") WITH hit AS MATERIALIZED (SELECT " + Sql.storedColumns(t) + " FROM " + table + where
                    + ") SELECT * FROM hit WHERE _seq <= " + horizon);
        }
        st.execute("DELETE FROM " + table + where);
        insert(st, t, newestPerKey(t, source, "_seq", true));
    }

    private static void insert(Statement st, TableDef t, String rows) throws SQLException {
        st.execute("INSERT INTO " + quote(t.name()) + " (" + Sql.storedColumns(t) + ") " + rows + " ORDER BY "
                + Sql.key(t));
    }

    private static String newestPerKey(TableDef t, String source, String sequence, boolean keysMayRepeat) {
        return "SELECT " + Sql.columns(t) + ", " + sequence + " AS _seq, _deleted FROM " + source
                + (keysMayRepeat
                        ? " QUALIFY row_number() OVER (PARTITION BY " + Sql.key(t) + " ORDER BY _seq DESC) = 1"
                        : "");
    }

    private void mergeStaged(Statement st, DuckDbStage stage, long first) throws SQLException {
        TableDef t = stage.table();
        boolean files = DuckDbFileWriter.hasFiles(t);
        boolean distinct = stage.keysIncrease() || (!files && !stage.repeatsFound());
        // Only the plain insert of distinct keys reads the file itself (DuckDbStage.load says why).
        String source = distinct && !files ? stage.source() : stage.load(st);
        String sequence = first + " + _ord";
        boolean repeats = !distinct
                // INSERT OR REPLACE keeps either of two rows of one key where a plain INSERT fails: look.
                && (!files || ask(st, "SELECT count(*) > count(DISTINCT " + Sql.key(t) + ") FROM " + source));
        if (files && !repeats && !anyStored(st, t, source)) {
            // Only new keys into a table with files: nothing to carry over, so skip the file merge's
            // join. Other tables need no such check: merge()'s delete already finds nothing to delete.
            insert(st, t, newestPerKey(t, source, sequence, false));
        } else {
            merge(st, t, source, sequence, repeats);
        }
        // In the merging transaction: a staged request is either merged or still staged.
        stage.merged(st);
    }

    private static boolean anyStored(Statement st, TableDef t, String source) throws SQLException {
        return ask(
                st,
                "SELECT EXISTS (SELECT 1 FROM " + source + " s SEMI JOIN " + quote(t.name()) + " t ON s." + Sql.key(t)
                        + " = t." + Sql.key(t) + ")");
    }

    private static boolean ask(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Upserts rows from {@code source} into the table, each stamped with {@code sequence} (an
     * expression over the source); when keys may repeat, only the highest sequence per key.
     * Stored rows of the source's keys are deleted through one join, then the new ones inserted.
     */
    private void merge(Statement st, TableDef t, String source, String sequence, boolean keysMayRepeat)
            throws SQLException {
        String rows = newestPerKey(t, source, sequence, keysMayRepeat);
        Long horizon = keepingVersionsAt(t);
        if (horizon != null) {
            // An open export reads the table as of its horizon: keep the versions this merge replaces.
            st.execute("INSERT OR IGNORE INTO " + Sql.preimages(t) + " (" + Sql.storedColumns(t) + ") SELECT "
                    + Sql.storedColumns(t, "t")
                    + " FROM " + quote(t.name()) + " t SEMI JOIN " + source + " s ON t." + Sql.key(t) + " = s."
                    + Sql.key(t)
                    + " WHERE t._seq <= " + horizon);
        }
        if (DuckDbFileWriter.hasFiles(t)) {
            DuckDbFileWriter.merge(st, t, source, sequence, keysMayRepeat);
            return;
        }
        // The join's hash table holds the source's keys; the table's key column is read once.
        st.execute("DELETE FROM " + quote(t.name()) + " WHERE " + Sql.key(t) + " IN (SELECT " + Sql.key(t) + " FROM "
                + source + ")");
        insert(st, t, rows);
    }

    /** Keeps the versions of the table's rows as of {@code sequence} while later writes replace them. */
    void holdHorizon(TableDef t, long sequence) {
        horizons.put(t.name(), sequence);
    }

    /**
     * The horizon a write to the table keeps versions as of, if one is held; a write that is given one may
     * keep versions, so the table no longer counts as keeping none.
     */
    private Long keepingVersionsAt(TableDef t) {
        Long horizon = horizons.get(t.name());
        if (horizon != null) {
            noVersionsKept.remove(t.name());
        }
        return horizon;
    }

    /** Whether versions of the table's rows may be kept (false only when known to be none). */
    boolean keptVersions(TableDef t) {
        return !noVersionsKept.contains(t.name());
    }

    /** Stops keeping versions for the table; the caller deleted those kept, in a transaction it committed. */
    void stopKeepingVersions(TableDef t) {
        horizons.remove(t.name());
        noVersionsKept.add(t.name());
    }

    /** Stops keeping versions for the table and forgets those kept. */
    void releaseHorizon(TableDef t) throws SQLException {
        horizons.remove(t.name());
        try (Statement st = connection.createStatement()) {
            // One statement, in autocommit.
            st.execute("DELETE FROM " + Sql.preimages(t));
        }
        noVersionsKept.add(t.name());
    }

    void close() throws SQLException {
        connection.close();
    }

    private static void closeQuietly(DuckDBAppender a) {
        try {
            a.close();
        } catch (SQLException ignored) {
            // The transaction is rolled back anyway.
        }
    }
}
