package dev.eider.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL (zonky, binaries from Maven, PostgreSQL 16) per test JVM, started on first
 * use; every caller gets a fresh database of its own.
 */
public final class EmbeddedPg {

    /** Set to {@code postgres} to run the suites built on {@link TestConfig} against PostgreSQL. */
    public static final String STORE_PROPERTY = "eider.test.store";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPg() {}

    /** Whether this test run puts the service's records in PostgreSQL rather than DuckDB. */
    public static boolean selected() {
        return "postgres".equalsIgnoreCase(System.getProperty(STORE_PROPERTY, "duckdb"));
    }

    /** A new empty database; answers its JDBC URL (user and password included). */
    public static synchronized String freshDatabase() {
        String name = "eider_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    private static synchronized String url(String database) {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // The JVM is ending; the temp data folder goes with the OS's cleanup.
                }
            }));
        }
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database + "?user=postgres&password=postgres";
    }
}
