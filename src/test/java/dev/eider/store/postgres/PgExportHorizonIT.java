package dev.eider.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.config.S3Config;
import dev.eider.export.ExportTarget;
import dev.eider.export.ExportTargets;
import dev.eider.testing.EmbeddedPg;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.RunningEider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export horizon on PostgreSQL: a writing transaction that is still open while an export is
 * planned and run is not in that export, and is in the next one, exactly once.
 */
class PgExportHorizonIT {

    @TempDir
    Path dir;

    @Test
    void changes_transactionOpenAcrossAnExport_isInTheNextExportExactlyOnce() throws Exception {
        String url = EmbeddedPg.freshDatabase();
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("storage.database", url));
                ExportTarget target =
                        ExportTargets.open("file:" + dir.resolve("exports"), new S3Config(null, "us-east-1", false))) {
            Http http = eider.http();
            for (int id = 1; id <= 3; id++) {
                assertThat(http.post("/record", "{\"id\": " + id + ", \"value\": \"v" + id + "\"}")
                                .statusCode())
                        .isEqualTo(200);
            }
            ExportedTable exported = new ExportedTable(target, dir.resolve("download"));
            List<String> changes = new ArrayList<>();
            JsonNode first;
            try (Connection late = DriverManager.getConnection(url)) {
                late.setAutoCommit(false);
                try (Statement st = late.createStatement()) {
                    // What Eider's own merge writes: the row stamped with its transaction, left open.
                    st.execute("INSERT INTO records (id, value, _seq, _deleted, _xid) "
                            + "VALUES (100, 'late', nextval('_eider_seq'), false, pg_current_xact_id())");
                }
                first = PgExports.run(http, "changes");
                List<String> firstRows = PgExports.rows(exported, first);
                assertThat(firstRows).containsExactly("1|v1|upsert", "2|v2|upsert", "3|v3|upsert");
                changes.addAll(firstRows);
                late.commit();
            }
            JsonNode second = PgExports.run(http, "changes");
            List<String> secondRows = PgExports.rows(exported, second);
            assertThat(secondRows).containsExactly("100|late|upsert");
            changes.addAll(secondRows);
            // Nothing was written since: the next change export finds no row and writes nothing.
            PgExports.run(http, "records", "changes", "skipped");

            assertThat(second.path("from_sequence").asLong())
                    .isEqualTo(first.path("to_sequence").asLong());
            assertThat(changes).filteredOn(r -> r.startsWith("100|")).hasSize(1);
            assertThat(changes).hasSize(4);
        }
    }

    @Test
    void changes_rowCommittedWhileAnOlderTransactionIsOpen_isInTheExportThatSeesIt() throws Exception {
        // The export reads rows between its snapshot's bounds: a row committed by a younger transaction
        // while an older one is still open lies between the snapshot's xmin and xmax, and belongs in it.
        String url = EmbeddedPg.freshDatabase();
        try (RunningEider eider = RunningEider.start(dir, "", Map.of("storage.database", url));
                ExportTarget target =
                        ExportTargets.open("file:" + dir.resolve("exports"), new S3Config(null, "us-east-1", false))) {
            Http http = eider.http();
            assertThat(http.post("/record", "{\"id\": 1, \"value\": \"v1\"}").statusCode())
                    .isEqualTo(200);
            ExportedTable exported = new ExportedTable(target, dir.resolve("download"));
            JsonNode first;
            try (Connection older = DriverManager.getConnection(url);
                    Connection younger = DriverManager.getConnection(url)) {
                older.setAutoCommit(false);
                younger.setAutoCommit(false);
                try (Statement st = older.createStatement()) {
                    st.execute("INSERT INTO records (id, value, _seq, _deleted, _xid) "
                            + "VALUES (200, 'older', nextval('_eider_seq'), false, pg_current_xact_id())");
                }
                try (Statement st = younger.createStatement()) {
                    st.execute("INSERT INTO records (id, value, _seq, _deleted, _xid) "
                            + "VALUES (100, 'younger', nextval('_eider_seq'), false, pg_current_xact_id())");
                }
                younger.commit();
                first = PgExports.run(http, "changes");
                older.commit();
            }
            JsonNode second = PgExports.run(http, "changes");

            assertThat(PgExports.rows(exported, first)).containsExactly("1|v1|upsert", "100|younger|upsert");
            assertThat(PgExports.rows(exported, second)).containsExactly("200|older|upsert");
        }
    }
}
