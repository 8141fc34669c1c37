package dev.eider.store;

import static dev.eider.store.Sql.quote;

import dev.eider.table.TableDef;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Commits write batches on the writer's connection: every row of a batch goes through the table's
 * staging table, then one sorted {@code INSERT OR REPLACE} per table, then one commit.
 */
final class DuckDbWriter {

  private final DuckDBConnection connection;
  private final Map<String, Long> horizons = new ConcurrentHashMap<>();
  private long lastSequence;

  DuckDbWriter(DuckDBConnection connection, long lastSequence) throws SQLException {
    this.connection = connection;
    this.lastSequence = lastSequence;
    connection.setAutoCommit(false);
  }

  long lastSequence() {
    return lastSequence;
  }

  void apply(WriteBatch batch) throws SQLException {
    Map<TableDef, DuckDBAppender> appenders = new LinkedHashMap<>();
    List<DuckDbStage> merged = new ArrayList<>();
    try {
      for (WriteBatch.Sequenced s : batch.parts()) {
        if (s.part() instanceof WriteBatch.Rows rows) {
          long seq = s.firstSequence();
          for (Mutation m : rows.mutations()) {
            append(appender(appenders, m.table()), m, seq++);
          }
        } else if (s.part() instanceof WriteBatch.Staged staged) {
          DuckDbStage stage = (DuckDbStage) staged.rows();
          copyStaged(appenders, stage, s.firstSequence());
          merged.add(stage);
        }
      }
      for (DuckDBAppender a : appenders.values()) {
        a.close();
      }
      try (Statement st = connection.createStatement()) {
        for (TableDef t : appenders.keySet()) {
          merge(st, t);
        }
        for (DuckDbStage stage : merged) {
          // Dropped in the merging transaction: a staged request is either merged or still staged.
          st.execute("DROP TABLE " + stage.tableName());
        }
        st.execute("UPDATE _eider_meta SET last_seq = " + batch.lastSequence());
      }
      connection.commit();
      lastSequence = batch.lastSequence();
    } catch (SQLException | RuntimeException e) {
      for (DuckDBAppender a : appenders.values()) {
        closeQuietly(a);
      }
      connection.rollback();
      throw e;
    }
  }

  private DuckDBAppender appender(Map<TableDef, DuckDBAppender> appenders, TableDef t) throws SQLException {
    DuckDBAppender a = appenders.get(t);
    if (a == null) {
      a = connection.createAppender("main", "_eider_stage_w_" + t.name());
      appenders.put(t, a);
    }
    return a;
  }

  private static void append(DuckDBAppender a, Mutation m, long seq) throws SQLException {
    TableDef t = m.table();
    a.beginRow();
    for (int i = 0; i < t.columns().size(); i++) {
      Object v = m.isDelete() ? (i == t.keyIndex() ? m.key() : null) : m.values()[i];
      RowCodec.append(a, t.columns().get(i), v);
    }
    a.append(seq);
    a.append(m.isDelete());
    a.endRow();
  }

  private void copyStaged(Map<TableDef, DuckDBAppender> appenders, DuckDbStage stage, long first) throws SQLException {
    TableDef t = stage.table();
    // Registers the table for the merge; the merge keeps the highest sequence per key.
    appender(appenders, t);
    try (Statement st = connection.createStatement()) {
      st.execute(
          "INSERT INTO " + Sql.writerStage(t) + " (" + Sql.storedColumns(t) + ") SELECT " + Sql.columns(t) + ", " + first
              + " + _ord, _deleted FROM " + stage.tableName());
    }
  }

  private void merge(Statement st, TableDef t) throws SQLException {
    String stage = Sql.writerStage(t);
    String all = Sql.storedColumns(t);
    String latest =
        "SELECT " + all + " FROM " + stage + " QUALIFY row_number() OVER (PARTITION BY " + Sql.key(t) + " ORDER BY _seq DESC) = 1";
    Long horizon = horizons.get(t.name());
    if (horizon != null) {
      // An open export reads the table as of its horizon: keep the versions this batch replaces.
      st.execute(
          "INSERT OR IGNORE INTO " + Sql.preimages(t) + " (" + all + ") SELECT " + Sql.storedColumns(t, "t") + " FROM " + quote(t.name()) + " t SEMI JOIN "
              + stage + " s ON t." + Sql.key(t) + " = s." + Sql.key(t) + " WHERE t._seq <= " + horizon);
    }
    st.execute("INSERT OR REPLACE INTO " + quote(t.name()) + " (" + all + ") " + latest + " ORDER BY " + Sql.key(t));
    st.execute("DELETE FROM " + stage);
  }

  /** Keeps the versions of the table's rows as of {@code sequence} while later writes replace them. */
  void holdHorizon(TableDef t, long sequence) {
    horizons.put(t.name(), sequence);
  }

  /** Stops keeping versions for the table and forgets those kept. */
  void releaseHorizon(TableDef t) throws SQLException {
    horizons.remove(t.name());
    try (Statement st = connection.createStatement()) {
      st.execute("DELETE FROM " + Sql.preimages(t));
    }
    connection.commit();
  }

  void close() throws SQLException {
    connection.close();
  }

  private static void closeQuietly(DuckDBAppender a) {
    try {
      a.close();
    } catch (SQLException ignored) {
      // The transaction is rolled back anyway.
    }
  }
}
