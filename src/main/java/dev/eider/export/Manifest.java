package dev.eider.export;

import dev.eider.table.Column;
import dev.eider.table.TableDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one export wrote: written after its data files, so a manifest's presence means every file
 * it lists is complete. Readers find manifests through the table's {@link Head}.
 *
 * @param databaseId the identity of the database that wrote it
 * @param fromSequence changes exports: the exclusive lower bound; snapshots: 0
 * @param toSequence the inclusive upper bound: the table as of this sequence
 * @param schema the Parquet columns: the declared ones, {@code _seq}, and {@code _op} in change files
 * @param files data files, keys relative to the target's root
 */
public record Manifest(
        String format,
        String databaseId,
        long exportId,
        String table,
        String mode,
        long fromSequence,
        long toSequence,
        Instant plannedAt,
        List<SchemaColumn> schema,
        List<ExportFile> files,
        long rows,
        long bytes) {

    /** Version 2: Eider's change column is {@code _op} (version 1 called it {@code op}); keys carry the export id. */
    static final String FORMAT = "eider-manifest/2";

    public Manifest {
        schema = List.copyOf(schema);
        files = List.copyOf(files);
    }

    /** One column of the exported files. */
    public record SchemaColumn(String name, String type, boolean nullable) {}

    static Manifest of(ExportPlan plan, TableDef table, String databaseId) {
        List<SchemaColumn> schema = new ArrayList<>();
        for (Column c : table.columns()) {
            schema.add(new SchemaColumn(
                    c.name(),
                    c.type().toString(),
                    // A delete in a change file carries its key alone.
                    c.nullable()
                            || plan.mode() == dev.eider.config.ExportSettings.Mode.CHANGES
                                    && !c.name().equals(table.primaryKey())));
        }
        schema.add(new SchemaColumn("_seq", "int64", false));
        if (plan.mode() == dev.eider.config.ExportSettings.Mode.CHANGES) {
            schema.add(new SchemaColumn("_op", "string", false));
        }
        return new Manifest(
                FORMAT,
                databaseId,
                plan.id(),
                plan.table(),
                plan.mode().wireName(),
                plan.fromSeq(),
                plan.toSeq(),
                plan.plannedAt(),
                schema,
                plan.files(),
                plan.rows(),
                plan.bytes());
    }

    /**
     * Whether an earlier attempt of this very plan wrote this manifest: same database, same export, same
     * table, mode, range and planning time. Only such a manifest is ever adopted.
     */
    boolean isOf(ExportPlan plan, String database) {
        return coversSameRows(plan, database)
                && exportId == plan.id()
                && plan.plannedAt().equals(plannedAt);
    }

    /**
     * Whether this manifest lists the rows the plan would write: written by the same database for the same
     * table, mode and range (a table's rows as of a sequence, or its changes in a range, never change).
     */
    boolean coversSameRows(ExportPlan plan, String database) {
        return database.equals(databaseId)
                && table.equals(plan.table())
                && mode.equals(plan.mode().wireName())
                && fromSequence == plan.fromSeq()
                && toSequence == plan.toSeq();
    }
}
