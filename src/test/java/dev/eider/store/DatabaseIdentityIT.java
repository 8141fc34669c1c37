package dev.eider.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.RunningEider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database's identity: a UUID fixed when it is created, kept in the database itself. */
class DatabaseIdentityIT {

    @TempDir
    Path dir;

    @Test
    void open_newDatabase_getsAnIdentityThatSurvivesRestarts() throws Exception {
        RunningEider.start(dir).close();
        String first = identity(dir.resolve("data.db"));
        RunningEider.start(dir).close();

        assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(identity(dir.resolve("data.db"))).isEqualTo(first);
    }

    @Test
    void open_databaseFromBeforeIdentities_getsOneAtFirstOpen() throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data.db"));
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE _eider_meta (last_seq BIGINT NOT NULL)");
            st.execute("INSERT INTO _eider_meta VALUES (0)");
        }
        RunningEider.start(dir).close();

        assertThat(identity(dir.resolve("data.db"))).hasSize(36);
    }

    @Test
    void open_twoDatabases_haveDifferentIdentities() throws Exception {
        RunningEider.start(dir.resolve("a")).close();
        RunningEider.start(dir.resolve("b")).close();

        assertThat(identity(dir.resolve("a/data.db"))).isNotEqualTo(identity(dir.resolve("b/data.db")));
    }

    private static String identity(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT database_id FROM _eider_meta")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
