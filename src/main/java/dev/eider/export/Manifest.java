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
 * @param fromSequence changes exports: the exclusive lower bound; snapshots: 0
 * @param toSequence the inclusive upper bound: the table as of this sequence
 * @param schema the Parquet columns: the declared ones, {@code _seq}, and {@code op} in change files
 * @param files data files, keys relative to the target's root
 */
public record Manifest(
        String format,
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

    static final String FORMAT = "eider-manifest/1";

    public Manifest {
        schema = List.copyOf(schema);
        files = List.copyOf(files);
    }

    /** One column of the exported files. */
    public record SchemaColumn(String name, String type, boolean nullable) {}

    static Manifest of(ExportPlan plan, TableDef table) {
        List<SchemaColumn> schema = new ArrayList<>();
        for (Column c : table.columns()) {
            schema.add(new SchemaColumn(
                    c.name(),
                    c.type().toString(),
                    c.nullable() || plan.mode() == dev.eider.config.ExportSettings.Mode.CHANGES));
        }
        schema.add(new SchemaColumn("_seq", "int64", false));
        if (plan.mode() == dev.eider.config.ExportSettings.Mode.CHANGES) {
            schema.add(new SchemaColumn("op", "string", false));
        }
        return new Manifest(
                FORMAT,
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

    /** Whether this manifest describes the same export range as the plan (an earlier attempt or an identical plan). */
    boolean covers(ExportPlan plan) {
        return table.equals(plan.table())
                && mode.equals(plan.mode().wireName())
                && fromSequence == plan.fromSeq()
                && toSequence == plan.toSeq();
    }
}
