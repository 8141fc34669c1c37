package dev.eider.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.config.EiderConfig;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit queue on a real DuckDB file and log: one failing request does not fail its neighbours. */
class WriteQueueIT {

    private static final TableDef RECORDS = TableDef.DEFAULT;

    @TempDir
    Path dir;

    @Test
    void submit_oneRequestThatFailsInTheWriter_failsAloneAndTheOthersCommit() {
        EiderConfig config = TestConfig.in(dir);
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), new Catalog(config.tables()));
                WriteQueue queue =
                        WriteQueue.open(store, new Catalog(config.tables()), config.ingest(), dir.resolve("log"))) {
            List<CompletableFuture<Commit>> good = new ArrayList<>();
            for (long id = 0; id < 20; id++) {
                good.add(queue.submit(rows(Mutation.upsert(RECORDS, new Object[] {id, "v" + id}))));
            }
            // A value of the wrong Java type gets past no reader; here it stands for a request the log cannot take.
            CompletableFuture<Commit> bad = queue.submit(rows(Mutation.upsert(RECORDS, new Object[] {100L, 42})));
            for (long id = 20; id < 40; id++) {
                good.add(queue.submit(rows(Mutation.upsert(RECORDS, new Object[] {id, "v" + id}))));
            }

            assertThatThrownBy(bad::join).isInstanceOf(CompletionException.class);
            good.forEach(f -> assertThat(f.join().rows()).isEqualTo(1));
            queue.awaitVisible();
            assertThat(store.count(RECORDS)).isEqualTo(40);
            assertThat(store.get(RECORDS, 100L)).isEmpty();
        }
    }

    @Test
    void submit_sameKeyInOneBatch_lastOneWins() {
        EiderConfig config = TestConfig.in(dir);
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), new Catalog(config.tables()));
                WriteQueue queue =
                        WriteQueue.open(store, new Catalog(config.tables()), config.ingest(), dir.resolve("log"))) {
            Commit c = queue.submit(rows(
                            Mutation.upsert(RECORDS, new Object[] {1L, "a"}),
                            Mutation.delete(RECORDS, 1L),
                            Mutation.upsert(RECORDS, new Object[] {1L, "c"})))
                    .join();

            assertThat(c.rows()).isEqualTo(3);
            queue.awaitVisible();
            assertThat(store.get(RECORDS, 1L))
                    .hasValueSatisfying(r -> assertThat(r.values()[1]).isEqualTo("c"));
            assertThat(store.lastSequence()).isEqualTo(c.sequence());
        }
    }

    private static WriteBatch.Rows rows(Mutation... mutations) {
        return new WriteBatch.Rows(List.of(mutations));
    }
}
