package dev.eider.bench;

import dev.eider.config.DataSize;
import dev.eider.config.IngestConfig;
import dev.eider.config.StoreConfig;
import dev.eider.ingest.DirectCommit;
import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.store.postgres.PostgresStore;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures behind "no write-ahead log of Eider's own in front of PostgreSQL": single-row durable
 * upserts from {@code clients} concurrent clients, (1) each its own PostgreSQL transaction
 * (pgbench-style {@code INSERT ... ON CONFLICT}, autocommit) and (2) through Eider's group commit
 * ({@link DirectCommit} into {@link PostgresStore}), on the same embedded PostgreSQL 16 in one run.
 * Usage: {@code PgCommitBench [seconds] [clients]}.
 */
public final class PgCommitBench {

    private PgCommitBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        String url = EmbeddedPg.freshDatabase();
        Path dir = Files.createTempDirectory("pg-bench");
        var config = TestConfig.in(dir, "", java.util.Map.of("storage.database", url));
        Catalog catalog = new Catalog(config.tables());
        TableDef records = catalog.require("records");
        try (PostgresStore store = PostgresStore.open((StoreConfig.Postgres) config.store(), catalog)) {
            long direct = run(seconds, clients, () -> {
                // Each client keeps its connection for the whole run, as pgbench does.
                Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO records (id, value, _seq, _deleted, _xid) VALUES (?, ?, nextval('_eider_seq'), false, "
                                + "pg_current_xact_id()) ON CONFLICT (id) DO UPDATE SET value = excluded.value, "
                                + "_seq = excluded._seq, _xid = excluded._xid");
                return () -> {
                    ps.setLong(1, ThreadLocalRandom.current().nextLong(1_000_000));
                    ps.setString(2, "v");
                    ps.executeUpdate();
                };
            });
            System.out.printf(
                    "postgres: one transaction per upsert, %d clients: %d upserts/s%n", clients, direct / seconds);
            IngestConfig ingest = new IngestConfig(
                    4096, 16_384, 10_000, DataSize.ofMegabytes(64), Duration.ofSeconds(1), Duration.ZERO);
            try (DirectCommit group = new DirectCommit(ingest, store::commit, 4)) {
                long grouped = run(
                        seconds,
                        clients,
                        () -> () -> group.submit(new WriteBatch.Rows(List.of(Mutation.upsert(records, new Object[] {
                                    ThreadLocalRandom.current().nextLong(1_000_000), "v"
                                }))))
                                .join());
                System.out.printf(
                        "eider: group commit into postgres, %d clients: %d upserts/s%n", clients, grouped / seconds);
            }
        }
    }

    interface Op {
        void run() throws Exception;
    }

    interface Client {
        Op open() throws Exception;
    }

    private static long run(int seconds, int clients, Client client) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            threads[i] = new Thread(() -> {
                try {
                    Op op = client.open();
                    while (System.nanoTime() < end) {
                        op.run();
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get();
    }
}
