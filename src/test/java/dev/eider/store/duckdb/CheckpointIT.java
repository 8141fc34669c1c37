package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.EiderConfig;
import dev.eider.store.StagedRows;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large request stages its rows in a file of their own, outside DuckDB: the idle checkpoint runs while
 * one streams in. (Staged in a DuckDB transaction, as before, they held every checkpoint off until
 * merged, and a new user's trial read the warning that came with it during every bulk load as a fault.)
 */
class CheckpointIT {

    @TempDir
    Path dir;

    @Test
    void checkpoint_whileARequestIsStaged_runs() {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), catalog)) {
            StagedRows staged = store.stage(records);
            staged.add(1L, new Object[] {1L, "staged"});

            assertThat(store.checkpoint()).isTrue();

            staged.close();
            assertThat(store.checkpoint()).isTrue();
        }
    }
}
