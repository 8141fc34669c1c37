package dev.eider.export;

import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The export side of the storage port: export plans and their history, consistent reads of a
 * table as of a sequence (written as Parquet), tombstone purging, and loading exported files back.
 * At most one plan per table is open (planned, running or failed) at a time.
 */
public interface ExportStore {

    /** The database's identity: a UUID fixed when the database was created, kept in the database itself. */
    String databaseId();

    /**
     * Plans not yet succeeded, oldest first. Their row versions are kept from the moment the store
     * opens (a plan's success releases them in the same transaction), so resuming needs nothing more.
     */
    List<ExportPlan> openPlans();

    /**
     * Fixes a new plan's range while no batch commits and records it; from then on the table's rows
     * as of the plan's sequence stay readable until the plan succeeds.
     *
     * @throws ExportBusyException when the table already has an open plan
     */
    ExportPlan plan(TableDef table, Mode mode, Instant now);

    Optional<ExportPlan> find(long id);

    /** The newest plans first. */
    List<ExportPlan> list(int limit);

    Optional<ExportPlan> open(String table);

    /** Succeeded change exports since the table's newest succeeded snapshot (all of them if none). */
    int changesSinceSnapshot(String table);

    /** When the table's newest plan was made, if any. */
    Optional<Instant> lastPlannedAt(String table);

    /** The newest succeeded snapshot (if any) and the succeeded change exports after it, in order, without their files. */
    List<ExportPlan> chain(String table);

    /**
     * Records, in one transaction, that the attempt (its number in {@code attempts}, its start in
     * {@code startedAt}) is running and has written these files; called before any of them is visible at the
     * target (parts of an unfinished multipart upload may be there already). An attempt's number is recorded no
     * later than its first visible object, so a plan whose recorded {@code attempts} is 0 has nothing at the
     * target.
     *
     * @return the attempt with these files
     * @throws ExportClosedException when the plan was cancelled meanwhile
     */
    ExportPlan recordFiles(ExportPlan attempt, List<ExportFile> files);

    /**
     * In one transaction: marks the plan done (as of attempt {@code plan.attempts()}) and forgets the old row
     * versions kept for it; after a snapshot, also purges the tombstones it covers. Then stops keeping versions.
     *
     * @throws ExportClosedException when the plan was cancelled meanwhile
     */
    void succeeded(ExportPlan plan, TableDef table, Instant now);

    /**
     * Like {@link #succeeded}, for a plan that had nothing new to write and wrote nothing: marked
     * {@code skipped}, outside the table's chain.
     */
    void skipped(ExportPlan plan, TableDef table, Instant now);

    /**
     * Marks an open plan cancelled and, like a success, stops keeping row versions for it; the table is
     * free for a new plan. An attempt still running finds out when it next records progress.
     *
     * @param attempt the attempt running in this service, when it has not recorded itself yet: its number and start
     *     ({@code attempts()}, {@code startedAt()}) are recorded with the cancel
     * @throws ExportClosedException when the plan is no longer open
     */
    ExportPlan cancel(long id, TableDef table, Instant now, String reason, Optional<ExportPlan> attempt);

    /** Cancels a plan no attempt of this service is at work on. */
    default ExportPlan cancel(long id, TableDef table, Instant now, String reason) {
        return cancel(id, table, now, reason, Optional.empty());
    }

    /**
     * Records that the attempt failed: its number and start ({@code attempt.attempts()}, {@code attempt.startedAt()}),
     * when and why, and when the next one goes.
     */
    void failed(ExportPlan attempt, Instant now, String error, Instant nextAttemptAt);

    /**
     * Whether the plan has rows to write: a change export when its range is not empty, a snapshot when a row of
     * its table changed since the table's newest succeeded snapshot. One without is skipped (a snapshot only when
     * the target holds the table's exports: see {@code Exporter.run}).
     */
    boolean hasNews(ExportPlan plan);

    /**
     * Called before an attempt touches the target: takes what it needs to run alone (on PostgreSQL,
     * the table's export lease, so that every state change it records is fenced).
     *
     * @throws ExportBusyException when another instance runs this table's exports
     */
    default void startAttempt(ExportPlan attempt) {}

    /** Writes the plan's rows as Parquet files under {@code dir} (emptied first); none when there are no rows. */
    List<ParquetFile> writeParquet(ExportPlan plan, TableDef table, ExportSettings settings, Path dir);

    /** Whether no record was ever written (the only state {@link #beginRestore} accepts). */
    boolean isEmpty();

    /**
     * Starts rebuilding an empty database from exported files: tables load one after the other and
     * count only once {@link Restore#commit} returns (a restore that stops half way leaves nothing).
     */
    Restore beginRestore();

    /** One restore in progress; closing it without a commit undoes what it loaded. */
    interface Restore extends AutoCloseable {

        /**
         * Loads a snapshot and then, in order, sets of change files into an empty table.
         *
         * @param snapshot Parquet files of the snapshot (may be empty)
         * @param changes Parquet files of each change export, oldest first
         * @param lastSeq the sequence the restored database continues from
         * @param scratch a folder for temporary files, deleted afterwards
         * @return live rows after the restore
         */
        long table(TableDef table, List<Path> snapshot, List<List<Path>> changes, long lastSeq, Path scratch);

        void commit();

        @Override
        void close();
    }
}
