package dev.eider.export;

import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rebuilds an empty database from a target: per table, the head's snapshot and then its change
 * exports in order, each file checked against its manifest's SHA-256, each manifest against the
 * head's database, and the ranges checked to meet without gaps. A target with no head at all is an
 * error. The caller makes the whole restore atomic (it restores into a new file).
 */
public final class Restorer {

    private final ExportStore store;
    private final Catalog catalog;
    private final ExportTarget source;
    private final Path workDir;
    private final Consumer<String> out;

    public Restorer(ExportStore store, Catalog catalog, ExportTarget source, Path workDir, Consumer<String> out) {
        this.store = store;
        this.catalog = catalog;
        this.source = source;
        this.workDir = workDir;
        this.out = out;
    }

    /**
     * Restores every declared table that has a head; returns live rows per restored table.
     *
     * @throws IllegalStateException when the database already holds records, when the source holds no
     *     head for any declared table, or when what it holds is inconsistent
     */
    public Map<String, Long> restore() {
        if (!store.isEmpty()) {
            throw new IllegalStateException(
                    "the database is not empty: restore only rebuilds an empty database; point --data at a new file, or --database at an empty database");
        }
        Map<TableDef, Head> heads = new LinkedHashMap<>();
        for (TableDef t : catalog.tables()) {
            source.read(ObjectKeys.head(t.name()))
                    .map(b -> ManifestJson.read(b, Head.class))
                    .ifPresent(h -> heads.put(t, h));
        }
        if (heads.isEmpty()) {
            throw new IllegalStateException("no exports at " + source.describe() + ": there is no "
                    + catalog.tables().stream()
                            .map(t -> ObjectKeys.head(t.name()))
                            .reduce((a, b) -> a + " or " + b)
                            .orElse("_head.json")
                    + "; --from must name the export.target the database exported to");
        }
        Map<String, Long> restored = new LinkedHashMap<>();
        try (ExportStore.Restore restore = store.beginRestore()) {
            for (TableDef t : catalog.tables()) {
                Head head = heads.get(t);
                if (head == null) {
                    out.accept(t.name() + ": no exports in " + source.describe() + "; left empty");
                    continue;
                }
                Path dir = workDir.resolve("restore-" + t.name());
                try {
                    restored.put(t.name(), restore(restore, t, head, dir));
                } finally {
                    WorkFolder.deleteRecursively(dir);
                }
            }
            restore.commit();
        }
        return restored;
    }

    private long restore(ExportStore.Restore restore, TableDef t, Head head, Path dir) {
        List<Path> snapshot = List.of();
        long expected = 0;
        if (head.snapshot() != null) {
            snapshot = download(head, head.snapshot(), dir.resolve("snapshot"));
            expected = head.snapshot().toSequence();
        }
        List<List<Path>> changes = new ArrayList<>();
        for (Head.Link link : head.changes()) {
            if (link.fromSequence() != expected) {
                throw new IllegalStateException(t.name() + ": change export " + link.manifest() + " starts after "
                        + link.fromSequence() + " but the previous one ends at " + expected);
            }
            changes.add(download(head, link, dir.resolve("changes-" + changes.size())));
            expected = link.toSequence();
        }
        long rows = restore.table(t, snapshot, changes, head.throughSequence(), dir);
        out.accept(t.name() + ": restored " + rows + " rows through sequence " + head.throughSequence() + " ("
                + (head.snapshot() == null ? "no snapshot" : "snapshot") + " + " + changes.size() + " change exports)");
        return rows;
    }

    private List<Path> download(Head head, Head.Link link, Path dir) {
        Manifest m = source.read(link.manifest())
                .map(b -> ManifestJson.read(b, Manifest.class))
                .orElseThrow(() -> new IllegalStateException(
                        "the head points at " + link.manifest() + " but there is no such manifest"));
        if (!Manifest.FORMAT.equals(m.format()) && m.mode().equals("changes")) {
            throw new IllegalStateException(link.manifest() + " is " + m.format() + ", written by an older Eider"
                    + " (its change column is op, not _op); restore it with the version that wrote it");
        }
        if (head.databaseId() != null && !head.databaseId().equals(m.databaseId())) {
            throw new IllegalStateException(link.manifest() + " was written by database " + m.databaseId()
                    + " but the head belongs to database " + head.databaseId());
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < m.files().size(); i++) {
            ExportFile f = m.files().get(i);
            Path local = dir.resolve("part-" + i + ".parquet");
            source.download(f.key(), local);
            if (!Sha256.of(local).equals(f.sha256())) {
                throw new IllegalStateException(f.key() + " does not match the SHA-256 in " + link.manifest());
            }
            files.add(local);
        }
        return files;
    }
}
