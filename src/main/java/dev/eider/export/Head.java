package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one well-known object per table ({@code <table>/_head.json}): the newest complete snapshot
 * and, in order, the change exports after it. Applying them in order gives the table as of
 * {@code throughSequence}; consecutive ranges meet exactly, so a reader can check none is missing.
 *
 * @param databaseId the identity of the database whose exports these are (null in heads of older versions)
 * @param snapshot the newest snapshot, or null when the table was only ever exported as changes
 */
public record Head(
        String format,
        String databaseId,
        String table,
        long throughSequence,
        Instant updatedAt,
        Link snapshot,
        List<Link> changes) {

    static final String FORMAT = "eider-head/1";

    public Head {
        changes = List.copyOf(changes);
    }

    /** A pointer to one export's manifest. */
    public record Link(String manifest, long exportId, long fromSequence, long toSequence, long rows) {

        static Link of(ExportPlan p) {
            return new Link(p.manifestKey(), p.id(), p.fromSeq(), p.toSeq(), p.rows());
        }
    }

    /** The head once {@code current} is complete, given the table's succeeded exports in chain order. */
    static Head of(String databaseId, String table, List<ExportPlan> chain, ExportPlan current, Instant now) {
        Link snapshot = null;
        List<Link> changes = new ArrayList<>();
        long through = 0;
        for (ExportPlan p : ExportChain.after(chain, current)) {
            if (p.mode() == Mode.SNAPSHOT) {
                snapshot = Link.of(p);
            } else {
                changes.add(Link.of(p));
            }
            through = Math.max(through, p.toSeq());
        }
        return new Head(FORMAT, databaseId, table, through, now, snapshot, changes);
    }
}
