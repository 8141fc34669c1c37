package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;

/**
 * The layout of a target, derived from plans alone: {@code <table>/snapshots/<to>/},
 * {@code <table>/changes/<from>-<to>/} (sequences zero-padded to 20 digits so keys sort by
 * sequence), a {@code manifest.json} in each, the table's {@code _head.json} and {@code _claim.json}.
 * The claim means no other database writes under the table's prefix at all; within one database,
 * ranges of plans that write anything never repeat (an empty range or a repeated snapshot is skipped).
 */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String directory(String table, Mode mode, long fromSeq, long toSeq) {
        return mode == Mode.SNAPSHOT
                ? table + "/snapshots/" + pad(toSeq)
                : table + "/changes/" + pad(fromSeq) + "-" + pad(toSeq);
    }

    public static String manifestKey(String directory) {
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
        // Not String.format: a head lists every change export since its snapshot, each key made anew.
        String digits = Long.toString(seq);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }
}
