package dev.eider.store;

import static dev.eider.testing.Tables.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.config.EiderConfig;
import dev.eider.store.duckdb.DuckDbStore;
import dev.eider.table.Catalog;
import dev.eider.testing.RunningEider;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write is stamped with its own rising sequence, and a delete leaves a tombstone with its sequence. */
class TombstoneIT {

    @TempDir
    Path dir;

    /** A stored version of a row: its key, sequence and whether it is a tombstone. */
    record Version(long id, long sequence, boolean deleted) {}

    @Test
    void writesAndDeletes_areStampedWithRisingSequencesAndDeletesLeaveTombstones() {
        EiderConfig config = TestConfig.in(dir);
        long upsert;
        long delete;
        try (RunningEider eider = RunningEider.start(config)) {
            ok(eider.http()
                    .post(
                            "/v1/tables/records/records",
                            "[{\"id\":1,\"value\":\"a\"},{\"id\":2,\"value\":\"b\"},{\"id\":3,\"value\":\"c\"}]"));
            upsert = ok(eider.http().post("/record", "{\"id\":2,\"value\":\"b2\"}"))
                    .path("sequence")
                    .asLong();
            delete = ok(eider.http().delete("/v1/tables/records/records/1"))
                    .path("sequence")
                    .asLong();
        }

        List<Version> versions = versions(config);

        assertThat(versions).extracting(Version::id).containsExactly(1L, 2L, 3L);
        assertThat(versions.get(0)).isEqualTo(new Version(1, delete, true));
        assertThat(versions.get(1)).isEqualTo(new Version(2, upsert, false));
        assertThat(versions.get(2).sequence()).isLessThan(upsert);
        assertThat(delete).isGreaterThan(upsert);
    }

    private static List<Version> versions(EiderConfig config) {
        try (DuckDbStore store = DuckDbStore.open(TestConfig.duckDb(config), new Catalog(config.tables()))) {
            return store.withReader(c -> {
                List<Version> versions = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, _seq, _deleted FROM records ORDER BY id");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.add(new Version(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)));
                    }
                }
                return versions;
            });
        }
    }
}
