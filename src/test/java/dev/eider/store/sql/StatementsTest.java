package dev.eider.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StatementsTest {

    private static final String SQL = "SELECT ?::INTEGER + 1";

    @Test
    void kept_sameSqlOnTheSameConnection_reusesTheStatementWithoutTheLastUsesValues() throws Exception {
        Statements statements = Statements.kept();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            PreparedStatement first;
            try (Statements.Use use = statements.prepare(c, SQL)) {
                first = use.statement();
                first.setInt(1, 41);
                assertThat(single(first)).isEqualTo(42);
            }

            try (Statements.Use use = statements.prepare(c, SQL)) {
                assertThat(use.statement()).isSameAs(first);
                assertThat(first.isClosed()).isFalse();
                // The first use's 41 is gone: running without a value of its own fails.
                assertThatThrownBy(() -> single(use.statement())).isInstanceOf(SQLException.class);
            }
        }
    }

    @Test
    void kept_afterAUseThatFailed_stillServesTheStatement() throws Exception {
        Statements statements = Statements.kept();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statements.Use use = statements.prepare(c, SQL)) {
                use.statement().setString(1, "not a number");
                assertThatThrownBy(() -> single(use.statement())).isInstanceOf(SQLException.class);
            }

            try (Statements.Use use = statements.prepare(c, SQL)) {
                use.statement().setInt(1, 6);
                assertThat(single(use.statement())).isEqualTo(7);
            }
        }
    }

    @Test
    void kept_anotherConnection_preparesAnew() throws Exception {
        Statements statements = Statements.kept();
        try (Connection a = DriverManager.getConnection("jdbc:duckdb:");
                Connection b = DriverManager.getConnection("jdbc:duckdb:")) {
            PreparedStatement onA;
            try (Statements.Use use = statements.prepare(a, SQL)) {
                onA = use.statement();
            }
            try (Statements.Use use = statements.prepare(b, SQL)) {
                assertThat(use.statement()).isNotSameAs(onA);
                assertThat(use.statement().getConnection()).isSameAs(b);
            }
        }
    }

    @Test
    void fresh_closesTheStatementAfterItsUse() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            PreparedStatement used;
            try (Statements.Use use = Statements.FRESH.prepare(c, SQL)) {
                used = use.statement();
                used.setInt(1, 1);
                assertThat(single(used)).isEqualTo(2);
            }

            assertThat(used.isClosed()).isTrue();
        }
    }

    private static int single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
