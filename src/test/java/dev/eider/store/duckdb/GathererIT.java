package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.EiderConfig;
import dev.eider.store.Gatherer;
import dev.eider.store.Mutation;
import dev.eider.store.StoreException;
import dev.eider.store.StoredRow;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.ImmutableFile;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows gathered in DuckDB wait, durable and unseen, until they are applied with others: then they replace
 * stored rows exactly as an applied batch does, whichever way the writer deletes (a few keys through the
 * index, many through a join), and a batch applied after them wins where it comes later.
 */
class GathererIT {

    @TempDir
    Path dir;

    private static final TableDef RECORDS = TableDef.DEFAULT;

    @ParameterizedTest(name = "{0} keys")
    @ValueSource(ints = {3, 2_500})
    void applyGathered_afterSeveralGathers_appliesTheLastOfEachKeyAndNothingBefore(int keys) {
        try (DuckDbStore store = open()) {
            TableDef records = RECORDS;
            store.apply(batch(records, 1, keys, "stored"));
            Gatherer g = store.gatherer().orElseThrow();
            g.gather(batch(records, keys + 1, keys, "first"));
            g.gather(batch(records, 2L * keys + 1, keys, "second"));

            assertThat(value(store, records, 1)).contains("stored");
            assertThat(store.lastSequence()).isEqualTo(keys);

            g.applyGathered();
            assertThat(store.lastSequence()).isEqualTo(3L * keys);
            assertThat(store.count(records)).isEqualTo(keys);
            for (long id = 1; id <= keys; id += Math.max(1, keys / 10)) {
                assertThat(value(store, records, id)).as("id %d", id).contains("second");
            }
        }
    }

    @Test
    void apply_afterGathered_appliesThemFirstInTheSameTransaction() {
        try (DuckDbStore store = open()) {
            TableDef records = RECORDS;
            Gatherer g = store.gatherer().orElseThrow();
            g.gather(batch(records, 1, 10, "gathered"));
            WriteBatch later = new WriteBatch(List.of(
                    new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(records, 2L))), 11),
                    new WriteBatch.Sequenced(
                            new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {3L, "later"}))), 12)));

            store.apply(later);

            assertThat(store.lastSequence()).isEqualTo(12);
            assertThat(value(store, records, 1)).contains("gathered");
            assertThat(value(store, records, 2)).isEmpty();
            assertThat(value(store, records, 3)).contains("later");
            assertThat(store.count(records)).isEqualTo(9);
            // Nothing is left to apply twice.
            g.applyGathered();
            assertThat(store.lastSequence()).isEqualTo(12);
            assertThat(value(store, records, 2)).isEmpty();
        }
    }

    @Test
    void apply_thatFailsAfterGathered_leavesThemGatheredForTheNextAttempt() {
        try (DuckDbStore store = open()) {
            TableDef records = RECORDS;
            Gatherer g = store.gatherer().orElseThrow();
            g.gather(batch(records, 1, 10, "gathered"));
            // A value of the wrong Java type gets past no reader; here it makes the transaction fail.
            WriteBatch bad = new WriteBatch(List.of(new WriteBatch.Sequenced(
                    new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {11L, 42}))), 11)));

            assertThatThrownBy(() -> store.apply(bad)).isInstanceOf(RuntimeException.class);
            assertThat(store.count(records)).isZero();

            g.applyGathered();
            assertThat(store.count(records)).isEqualTo(10);
            assertThat(store.lastSequence()).isEqualTo(10);
        }
    }

    @Test
    void gather_ofAnythingButSmallRequestsRows_isRefusedAndKeepsNothing() {
        try (DuckDbStore store = open()) {
            TableDef records = RECORDS;
            Gatherer g = store.gatherer().orElseThrow();
            WriteBatch mixed = new WriteBatch(List.of(
                    new WriteBatch.Sequenced(
                            new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {1L, "a"}))), 1),
                    new WriteBatch.Sequenced(
                            new WriteBatch.Files(records, 1L, null, List.of(new WriteBatch.FileChange("value", null))),
                            2)));

            assertThatThrownBy(() -> g.gather(mixed)).isInstanceOf(IllegalArgumentException.class);
            g.applyGathered();
            assertThat(store.count(records)).isZero();
            assertThat(store.lastSequence()).isZero();
        }
    }

    @Test
    void reopen_discardsRowsGatheredAndNotApplied_whichTheWriteAheadLogReplays() {
        try (DuckDbStore store = open()) {
            store.apply(batch(RECORDS, 1, 5, "applied"));
            store.gatherer().orElseThrow().gather(batch(RECORDS, 6, 5, "gathered"));
        }
        try (DuckDbStore reopened = open()) {
            assertThat(reopened.lastSequence()).isEqualTo(5);
            assertThat(value(reopened, RECORDS, 1)).contains("applied");
            // What the log replays, then a later write: the rows gathered before the restart must not come back.
            reopened.apply(batch(RECORDS, 6, 5, "replayed"));
            Gatherer g = reopened.gatherer().orElseThrow();
            g.gather(new WriteBatch(List.of(new WriteBatch.Sequenced(
                    new WriteBatch.Rows(List.of(Mutation.upsert(RECORDS, new Object[] {99L, "later"}))), 11))));
            g.applyGathered();

            assertThat(reopened.lastSequence()).isEqualTo(11);
            assertThat(value(reopened, RECORDS, 1)).contains("replayed");
            assertThat(value(reopened, RECORDS, 99)).contains("later");
            assertThat(reopened.count(RECORDS)).isEqualTo(6);
        }
    }

    @Test
    void gather_whenDuckDbCannotWrite_throwsAndTheRowsAreNotKept() {
        try (DuckDbStore store = open()) {
            TableDef records = RECORDS;
            Gatherer g = store.gatherer().orElseThrow();
            g.gather(batch(records, 1, 5, "kept"));
            WriteBatch refused = batch(records, 6, 5, "refused");
            ImmutableFile log = ImmutableFile.of(
                    Path.of(TestConfig.duckDb(TestConfig.in(dir)).dataFile() + ".wal"));
            try {
                assertThatThrownBy(() -> g.gather(refused)).isInstanceOf(StoreException.class);
                assertThatThrownBy(g::applyGathered).isInstanceOf(StoreException.class);
            } finally {
                log.release();
            }

            g.applyGathered();
            assertThat(store.lastSequence()).isEqualTo(5);
            assertThat(value(store, records, 1)).contains("kept");
            g.gather(refused);
            g.applyGathered();
            assertThat(value(store, records, 1)).contains("refused");
        }
    }

    private DuckDbStore open() {
        EiderConfig c = TestConfig.in(dir);
        return DuckDbStore.open(TestConfig.duckDb(c), new Catalog(c.tables()));
    }

    private static Optional<Object> value(DuckDbStore store, TableDef t, long id) {
        return store.get(t, id).map(StoredRow::values).map(v -> v[1]);
    }

    /** Ids 1 to {@code keys} holding {@code value}, at sequences from {@code firstSequence}. */
    private static WriteBatch batch(TableDef t, long firstSequence, int keys, String value) {
        List<Mutation> rows = LongStream.rangeClosed(1, keys)
                .mapToObj(id -> Mutation.upsert(t, new Object[] {id, value}))
                .toList();
        return new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Rows(rows), firstSequence)));
    }
}
