package dev.eider.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL 16 server for the benchmarks (not a test): zonky's embedded binaries on a fixed port
 * with a data folder of our choosing, kept running until the process is killed. Zonky starts
 * PostgreSQL with {@code -F} (fsync off) and {@code synchronous_commit=off} for speed in tests; here
 * both are set back to PostgreSQL's durable defaults, since a benchmark of durable writes means
 * nothing without them. Prints the JDBC URL once ready. Run by {@code bench/pg-bench.sh}.
 * Usage: {@code PgServer <port> <data folder>}.
 */
public final class PgServer {

    private PgServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // The "-c" settings come after zonky's "-F" on the command line, so they win.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "300")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                // The process is ending; the script removes the data folder.
            }
        }));
        System.out.println("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=postgres");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
