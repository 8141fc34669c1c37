package dev.eider.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.table.Column;
import dev.eider.table.ColumnType;
import dev.eider.table.TableDef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer replaces rows through the primary-key index only while DuckDB plans these lists as
 * index scans; a DuckDB upgrade that changes the planner's rules fails here, not in production.
 */
class KeyListTest {

    private static final TableDef NUMBERS = TableDef.DEFAULT;
    private static final TableDef NAMES = new TableDef(
            "names",
            List.of(new Column("name", ColumnType.STRING, false), new Column("n", ColumnType.INT64, true)),
            "name");

    /** A scan's "Type:" line in DuckDB's plan box (a join's is "Join Type:"). */
    private static final Pattern SCAN_TYPE = Pattern.compile("│\\s*Type: ([A-Za-z ]+?)\\s*│");

    @TempDir
    Path dir;

    private Connection connection;
    private Statement st;

    @BeforeEach
    void tables() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("keys.db"));
        st = connection.createStatement();
        // Rows in random order, as updates leave them: min/max statistics cannot narrow a scan.
        st.execute("CREATE TABLE records (id BIGINT PRIMARY KEY, value VARCHAR)");
        st.execute("INSERT INTO records SELECT i, 'v' || i FROM range(200000) r(i) ORDER BY random()");
        st.execute("CREATE TABLE names (name VARCHAR PRIMARY KEY, n BIGINT)");
        st.execute("INSERT INTO names SELECT 'name-' || i, i FROM range(200000) r(i) ORDER BY random()");
        st.execute("INSERT INTO names VALUES ('it''s', 1), ('back\\slash', 2), ('ünï', 3)");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void consecutiveIntegers_areLookedUpInTheIndex_notTurnedIntoARangeScan() throws SQLException {
        List<Long> keys = LongStream.range(1_000, 3_000).boxed().toList();

        String list = KeyList.of(NUMBERS, keys).orElseThrow();

        assertThat(scanType("SELECT * FROM records WHERE id IN " + list)).isEqualTo("Index Scan");
        assertThat(count("SELECT count(*) FROM records WHERE id IN " + list)).isEqualTo(2_000);
    }

    @Test
    void scatteredIntegers_andADelete_useTheIndex() throws SQLException {
        List<Long> keys = List.of(17L, 199_999L, 54_321L, -5L);

        String list = KeyList.of(NUMBERS, keys).orElseThrow();

        assertThat(scanType("DELETE FROM records WHERE id IN " + list)).isEqualTo("Index Scan");
        assertThat(count("SELECT count(*) FROM records")).isEqualTo(200_000 - 3);
    }

    @Test
    void strings_withQuotesBackslashesAndAccents_matchExactlyThemselves() throws SQLException {
        List<String> keys = List.of("it's", "back\\slash", "ünï", "name-7", "missing'); DROP TABLE names; --");

        String list = KeyList.of(NAMES, keys).orElseThrow();

        assertThat(scanType("SELECT * FROM names WHERE name IN " + list)).isEqualTo("Index Scan");
        assertThat(count("SELECT count(*) FROM names WHERE name IN " + list)).isEqualTo(4);
    }

    @Test
    void aStringHoldingNul_cannotBeALiteral_soThereIsNoList() {
        assertThat(KeyList.of(NAMES, List.of("a", "b\0c"))).isEmpty();
    }

    @Test
    void aFullList_isStillAnsweredFromTheIndex_andOneKeyMoreMakesNoList() throws SQLException {
        List<Long> keys = new ArrayList<>(
                LongStream.range(0, KeyList.MAX_KEYS).map(i -> i * 7).boxed().toList());

        String list = KeyList.of(NUMBERS, keys).orElseThrow();

        assertThat(scanType("SELECT * FROM records WHERE id IN " + list)).isEqualTo("Index Scan");
        assertThat(count("SELECT count(*) FROM records WHERE id IN " + list)).isEqualTo(KeyList.MAX_KEYS);
        keys.add(-1L);
        assertThat(KeyList.of(NUMBERS, keys)).isEmpty();
    }

    private String scanType(String query) throws SQLException {
        try (ResultSet rs = st.executeQuery("EXPLAIN ANALYZE " + query)) {
            rs.next();
            String plan = rs.getString(2);
            Matcher scan = SCAN_TYPE.matcher(plan);
            assertThat(scan.find()).as(plan).isTrue();
            return scan.group(1);
        }
    }

    private long count(String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
