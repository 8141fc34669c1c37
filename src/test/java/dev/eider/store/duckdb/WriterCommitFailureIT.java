package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.EiderConfig;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB ends a transaction itself when its COMMIT fails (its log could not be written, or memory ran out),
 * and the driver's rollback then fails with "no transaction is active" while the driver still takes the
 * connection for one in a transaction: every later statement committed on its own. The applier retried
 * "cannot commit - no transaction is active" for good while each retry's deletes were committed without
 * its inserts, and acknowledged rows were lost (a new-user trial: 8 readers beside a writer, out of memory).
 * Here the commit fails because DuckDB's log file is made immutable ({@code chattr +i}) for one batch.
 */
class WriterCommitFailureIT {

    @TempDir
    Path dir;

    @Test
    void apply_afterDuckDbRefusedACommit_laterBatchesCommitWhole() {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        Path wal = Path.of(TestConfig.duckDb(config).dataFile() + ".wal");
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            store.apply(batch(records, 1, "before"));
            ImmutableFile log = ImmutableFile.of(wal);
            try {
                assertThatThrownBy(() -> store.apply(batch(records, 11, "refused")))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("commit");
            } finally {
                log.release();
            }

            store.apply(batch(records, 21, "after"));
            assertThat(store.lastSequence()).isEqualTo(30);
        }
        try (DuckDbStore reopened = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            for (long id = 1; id <= 10; id++) {
                assertThat(reopened.get(records, id))
                        .map(StoredRow::values)
                        .hasValueSatisfying(v -> assertThat(v[1]).isEqualTo("after"));
            }
            assertThat(reopened.lastSequence()).isEqualTo(30);
        }
    }

    /** Ids 1 to 10 with {@code value}, at sequences from {@code firstSequence}. */
    private static WriteBatch batch(TableDef t, long firstSequence, String value) {
        List<Mutation> rows = LongStream.rangeClosed(1, 10)
                .mapToObj(id -> Mutation.upsert(t, new Object[] {id, value}))
                .toList();
        return new WriteBatch(List.of(new WriteBatch.Sequenced(new WriteBatch.Rows(rows), firstSequence)));
    }
}
