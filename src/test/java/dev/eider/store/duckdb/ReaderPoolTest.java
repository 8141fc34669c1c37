package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/** The pool of reader connections closes every connection, lent ones when they come back. */
class ReaderPoolTest {

    @Test
    void close_whileAConnectionIsLent_closesItWhenItComesBack() throws SQLException {
        try (DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
            ReaderPool pool = new ReaderPool(root, 2);

            Connection lent = pool.withReader(c -> {
                pool.close();
                assertThat(c.isClosed()).isFalse();
                return c;
            });

            assertThat(lent.isClosed()).isTrue();
            assertThatThrownBy(() -> pool.withReader(c -> 1))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("closed");
        }
    }
}
