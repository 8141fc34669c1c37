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
 * exports in order, each file checked against its manifest's SHA-256 and the ranges checked to
 * meet without gaps.
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
     * @throws IllegalStateException when the database already holds records
     */
    public Map<String, Long> restore() {
        if (!store.isEmpty()) {
            throw new IllegalStateException(
                    "the database is not empty: restore only rebuilds an empty database; point --data at a new file");
        }
        Map<String, Long> restored = new LinkedHashMap<>();
        for (TableDef t : catalog.tables()) {
            var head = source.read(ObjectKeys.head(t.name())).map(b -> ManifestJson.read(b, Head.class));
            if (head.isEmpty()) {
                out.accept(t.name() + ": no exports in " + source.describe() + "; left empty");
                continue;
            }
            restored.put(t.name(), restore(t, head.get()));
        }
        return restored;
    }

    private long restore(TableDef t, Head head) {
        Path dir = workDir.resolve("restore-" + t.name());
        List<Path> snapshot = List.of();
        long expected = 0;
        if (head.snapshot() != null) {
            snapshot = download(head.snapshot(), dir.resolve("snapshot"));
            expected = head.snapshot().toSequence();
        }
        List<List<Path>> changes = new ArrayList<>();
        for (Head.Link link : head.changes()) {
            if (link.fromSequence() != expected) {
                throw new IllegalStateException(t.name() + ": change export " + link.manifest() + " starts after "
                        + link.fromSequence() + " but the previous one ends at " + expected);
            }
            changes.add(download(link, dir.resolve("changes-" + changes.size())));
            expected = link.toSequence();
        }
        long rows = store.restore(t, snapshot, changes, head.throughSequence());
        out.accept(t.name() + ": restored " + rows + " rows through sequence " + head.throughSequence() + " ("
                + (head.snapshot() == null ? "no snapshot" : "snapshot") + " + " + changes.size() + " change exports)");
        return rows;
    }

    private List<Path> download(Head.Link link, Path dir) {
        Manifest m = source.read(link.manifest())
                .map(b -> ManifestJson.read(b, Manifest.class))
                .orElseThrow(() -> new IllegalStateException(
                        "the head points at " + link.manifest() + " but there is no such manifest"));
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
