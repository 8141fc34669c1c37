package dev.eider.store.postgres;

import static dev.eider.store.sql.Sql.quote;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.export.ExportPlan;
import dev.eider.store.sql.Sql;
import dev.eider.table.TableDef;

/** The query that reads a plan's rows from PostgreSQL: a snapshot difference on each row's writing transaction. */
final class PgExportRows {

    private PgExportRows() {}

    /**
     * The rows visible in the plan's snapshot and, for changes, not in the previous plan's (all of
     * them when there is none). A row rewritten after the plan's snapshot is not read here: its newer
     * version belongs to the next export. The only parameter is the plan's id.
     */
    static String select(ExportPlan plan, TableDef t) {
        return select(plan, t, "?");
    }

    /** The plan's rows as CSV, as {@link #select} reads them (COPY takes no parameters: the id is inlined). */
    static String copy(ExportPlan plan, TableDef t) {
        return "COPY (" + select(plan, t, Long.toString(plan.id())) + ") TO STDOUT (FORMAT csv)";
    }

    private static String select(ExportPlan plan, TableDef t, String id) {
        String snapshots =
                "(SELECT from_snapshot AS f, to_snapshot AS s FROM _eider_export_snapshots WHERE export_id = " + id
                        + ") p";
        String where = "pg_visible_in_snapshot(r._xid, p.s)";
        if (plan.mode() == Mode.SNAPSHOT) {
            where += " AND NOT r._deleted";
        } else {
            where +=
                    " AND (p.f IS NULL OR (r._xid >= pg_snapshot_xmin(p.f) AND NOT pg_visible_in_snapshot(r._xid, p.f)))";
        }
        return "SELECT " + Sql.storedColumns(t, "r") + " FROM " + quote(t.name()) + " r, " + snapshots + " WHERE "
                + where;
    }
}
