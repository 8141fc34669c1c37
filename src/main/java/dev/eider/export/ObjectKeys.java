package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;
import dev.eider.store.ExportStore;

/**
 * The layout of a target, derived from plans alone: {@code <table>/snapshots/<to>/export-<id>/},
 * {@code <table>/changes/<from>-<to>/export-<id>/} (sequences zero-padded to 20 digits so keys sort by
 * sequence), a {@code manifest.json} in each, the table's {@code _head.json} and {@code _claim.json}.
 * The export's id in every key means no two plans of one database ever write the same key, and the
 * claim means no other database writes under the table's prefix at all.
 */
public final class ObjectKeys implements ExportStore.Layout {

    @Override
    public String directory(String table, Mode mode, long fromSeq, long toSeq, long exportId) {
        String range = mode == Mode.SNAPSHOT
                ? table + "/snapshots/" + pad(toSeq)
                : table + "/changes/" + pad(fromSeq) + "-" + pad(toSeq);
        return range + "/export-" + exportId;
    }

    @Override
    public String manifestKey(String directory) {
        return directory + "/manifest.json";
    }

    public static String head(String table) {
        return table + "/_head.json";
    }

    /** Names the database that owns the table's prefix (see {@link TargetClaim}). */
    public static String claim(String table) {
        return table + "/_claim.json";
    }

    static String pad(long seq) {
        return String.format("%020d", seq);
    }
}
