package dev.eider.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of JDBC work on a connection the store lends. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
