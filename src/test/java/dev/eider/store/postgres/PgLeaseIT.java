package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eider.config.EiderConfig;
import dev.eider.config.ExportSettings;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.config.StoreConfig;
import dev.eider.export.ExportBusyException;
import dev.eider.export.ExportFencedException;
import dev.eider.export.ExportPlan;
import dev.eider.export.ExportState;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One exporter per table: a holder whose lease expired and was taken over cannot commit export state. */
class PgLeaseIT {

    @TempDir
    Path dir;

    @Test
    void lease_expiredHolderAfterTakeover_cannotCommitExportState() {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        ExportSettings settings = config.export().forTable("records");
        try (PostgresStore store = PostgresStore.open(
                        new StoreConfig.Postgres(EmbeddedPg.freshDatabase(), null, null, 4), catalog);
                // Renews far less often than its lease lasts: a holder paused (GC, network) past its expiry.
                PgExportStore paused = new PgExportStore(store, catalog, Duration.ofSeconds(5), Duration.ofHours(1));
                PgExportStore other = new PgExportStore(store, catalog)) {
            store.commit(List.of(new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {1L, "a"})))));
            ExportPlan plan = paused.plan(records, Mode.SNAPSHOT, Instant.now());
            ExportPlan stale = plan.asAttempt(1, Instant.now());
            paused.writeParquet(stale, records, settings, dir.resolve("paused"));
            paused.recordFiles(stale, List.of());

            ExportPlan takeover = plan.asAttempt(2, Instant.now());
            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(ExportBusyException.class)
                    .untilAsserted(() -> {
                        other.writeParquet(takeover, records, settings, dir.resolve("other"));
                    });

            assertThatThrownBy(() -> paused.recordFiles(stale, List.of())).isInstanceOf(ExportFencedException.class);
            assertThatThrownBy(() -> paused.succeeded(stale, records, Instant.now()))
                    .isInstanceOf(ExportFencedException.class);
            assertThatThrownBy(
                            () -> paused.failed(plan.asAttempt(1, Instant.now()), Instant.now(), "late", Instant.now()))
                    .isInstanceOf(ExportFencedException.class);
            assertThat(other.find(plan.id()).orElseThrow().state()).isEqualTo(ExportState.RUNNING);

            other.recordFiles(takeover, List.of());
            other.succeeded(takeover, records, Instant.now());
            ExportPlan done = other.find(plan.id()).orElseThrow();
            assertThat(done.state()).isEqualTo(ExportState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(2);
        }
    }

    @Test
    void lease_heldByLiveHolder_refusesAnotherExporter() {
        EiderConfig config = TestConfig.in(dir);
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        try (PostgresStore store = PostgresStore.open(
                        new StoreConfig.Postgres(EmbeddedPg.freshDatabase(), null, null, 4), catalog);
                PgExportStore holder = new PgExportStore(store, catalog);
                PgExportStore other = new PgExportStore(store, catalog)) {
            ExportPlan plan = holder.plan(records, Mode.SNAPSHOT, Instant.now());
            holder.writeParquet(
                    plan.asAttempt(1, Instant.now()),
                    records,
                    config.export().forTable("records"),
                    dir.resolve("holder"));
            assertThatThrownBy(() -> other.writeParquet(
                            plan.asAttempt(2, Instant.now()),
                            records,
                            config.export().forTable("records"),
                            dir.resolve("other")))
                    .isInstanceOf(ExportBusyException.class);
        }
    }
}
