package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;

/**
 * The layout of a target, derived from plans alone: {@code <table>/snapshots/<to>/},
 * {@code <table>/changes/<from>-<to>/} (sequences zero-padded to 20 digits so keys sort by
 * sequence), a {@code manifest.json} in each, and the table's {@code _head.json}.
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

    static String pad(long seq) {
        return String.format("%020d", seq);
    }
}
