package dev.eider.store;

import static dev.eider.testing.Tables.ok;
import static dev.eider.testing.Tables.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eider.Eider;
import dev.eider.testing.LogEvents;
import dev.eider.testing.RunningEider;
import dev.eider.testing.TestConfig;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema migration at start, on real DuckDB files: what migrates, and what stops the start and why. */
class SchemaMigrationIT {

    private static final String V1 = table("id", "{name: id, type: int64}", "{name: name, type: string}");
    private static final String SCHEMA_LOGGER = "dev.eider.store.sql.SchemaRules";

    @TempDir
    Path dir;

    @BeforeEach
    void storeOneRowUnderV1() {
        try (RunningEider eider = RunningEider.start(dir, V1, Map.of())) {
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":1,\"name\":\"Ada\"}"));
        }
    }

    @Test
    void start_withNewNullableColumn_addsItAndKeepsRows() {
        String v2 = table(
                "id",
                "{name: id, type: int64}",
                "{name: name, type: string}",
                "{name: note, type: string, nullable: true}");
        try (RunningEider eider = RunningEider.start(dir, v2, Map.of())) {
            JsonNode old = record(eider.http(), "people", 1);
            assertThat(old.path("name").asText()).isEqualTo("Ada");
            assertThat(old.path("note").isNull()).isTrue();
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":2,\"name\":\"Bo\",\"note\":\"new\"}"));
        }
        try (RunningEider again = RunningEider.start(dir, v2, Map.of())) {
            assertThat(record(again.http(), "people", 2).path("note").asText()).isEqualTo("new");
        }
    }

    @Test
    void start_withNewNonNullableColumn_stopsNamingTheColumnAndTheFix() {
        assertRefused(table(
                        "id",
                        "{name: id, type: int64}",
                        "{name: name, type: string}",
                        "{name: age, type: int64, nullable: false}"))
                .hasMessageContaining("new column 'age'")
                .hasMessageContaining("nullable: true");
    }

    @Test
    void start_withNullableColumnMadeNonNullWhileRowsHoldNull_stopsNamingTheColumnAndTheFix() {
        String nullable = table(
                "id",
                "{name: id, type: int64}",
                "{name: name, type: string}",
                "{name: note, type: string, nullable: true}");
        try (RunningEider eider = RunningEider.start(dir, nullable, Map.of())) {
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":2,\"name\":\"Bo\",\"note\":null}"));
        }

        assertThatThrownBy(() -> Eider.start(TestConfig.in(
                                dir,
                                table(
                                        "id",
                                        "{name: id, type: int64}",
                                        "{name: name, type: string}",
                                        "{name: note, type: string}"),
                                Map.of()))
                        .close())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'note' is declared non-null but 2 row(s) hold NULL")
                .hasMessageContaining("nullable: true");
    }

    @Test
    void start_withNullableColumnMadeNonNullAndNoNulls_opensAndRequiresIt() {
        String nullable = table(
                "id",
                "{name: id, type: int64}",
                "{name: name, type: string, nullable: true}",
                "{name: note, type: string, nullable: true}");
        try (RunningEider eider = RunningEider.start(dir, nullable, Map.of())) {
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":1,\"name\":\"Ada\",\"note\":\"n\"}"));
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":2,\"name\":null,\"note\":\"m\"}"));
            ok(eider.http().delete("/v1/tables/people/records/2"));
        }
        String strict =
                table("id", "{name: id, type: int64}", "{name: name, type: string}", "{name: note, type: string}");

        try (RunningEider eider = RunningEider.start(dir, strict, Map.of())) {
            assertThat(record(eider.http(), "people", 1).path("note").asText()).isEqualTo("n");
            assertThat(eider.http()
                            .post("/v1/tables/people/records", "{\"id\":3,\"name\":\"C\"}")
                            .statusCode())
                    .isEqualTo(422);
        }
    }

    @Test
    void start_withUnchangedDeclaration_doesNotScanRowsForNulls() {
        String nullable = table(
                "id",
                "{name: id, type: int64}",
                "{name: name, type: string}",
                "{name: note, type: string, nullable: true}");
        String strict =
                table("id", "{name: id, type: int64}", "{name: name, type: string}", "{name: note, type: string}");
        try (RunningEider eider = RunningEider.start(dir, nullable, Map.of())) {
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":1,\"name\":\"Ada\",\"note\":\"n\"}"));
        }

        try (LogEvents events = LogEvents.of(SCHEMA_LOGGER)) {
            try (RunningEider turnedStrict = RunningEider.start(dir, strict, Map.of())) {
                assertThat(record(turnedStrict.http(), "people", 1).path("note").asText())
                        .isEqualTo("n");
                // The column turned non-null: its rows are checked once.
                assertThat(events.named("non_null_check"))
                        .singleElement()
                        .satisfies(e ->
                                assertThat(e).containsEntry("table", "people").containsEntry("columns", "note"));
            }
            try (RunningEider again = RunningEider.start(dir, strict, Map.of())) {
                assertThat(record(again.http(), "people", 1).path("note").asText())
                        .isEqualTo("n");
            }
            // The same declaration again: no scan.
            assertThat(events.named("non_null_check")).hasSize(1);
        }
    }

    @Test
    void start_withColumnMadeNullableThenNonNullAgainWhileRowsHoldNull_stopsNamingTheColumn() {
        String nullable = table("id", "{name: id, type: int64}", "{name: name, type: string, nullable: true}");
        try (RunningEider eider = RunningEider.start(dir, nullable, Map.of())) {
            ok(eider.http().post("/v1/tables/people/records", "{\"id\":2,\"name\":null}"));
        }

        // name was non-null (and so remembered) under V1; the NULL written since must still be found.
        assertThatThrownBy(() -> Eider.start(TestConfig.in(dir, V1, Map.of())).close())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'name' is declared non-null but 1 row(s) hold NULL")
                .hasMessageContaining("nullable: true");
        // A refused start remembers nothing: it is refused again.
        assertThatThrownBy(() -> Eider.start(TestConfig.in(dir, V1, Map.of())).close())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'name' is declared non-null");
    }

    @Test
    void start_withChangedType_stopsNamingTheColumnAndBothTypes() {
        assertRefused(table("id", "{name: id, type: int64}", "{name: name, type: int64}"))
                .hasMessageContaining("column 'name' is VARCHAR in the database but declared int64")
                .hasMessageContaining("declare it as before, or add a new column");
    }

    @Test
    void start_withChangedKey_stopsNamingBothKeys() {
        assertRefused(table("name", "{name: id, type: int64}", "{name: name, type: string}"))
                .hasMessageContaining("the primary key is 'id' in the database but 'name' is declared")
                .hasMessageContaining("declare primary_key: id");
    }

    @Test
    void start_withDroppedKeyColumn_stopsNamingTheKey() {
        assertRefused(table("uid", "{name: uid, type: int64}", "{name: name, type: string}"))
                .hasMessageContaining("primary key is 'id'")
                .hasMessageContaining("column 'id' exists in the database but is not declared");
    }

    @Test
    void start_withDroppedColumn_stopsSayingHowToDropIt() {
        assertRefused(table("id", "{name: id, type: int64}"))
                .hasMessageContaining("column 'name' exists in the database but is not declared")
                .hasMessageContaining("ALTER TABLE people DROP COLUMN name");
    }

    @Test
    void start_everyTypeDeclaredTheSameAgain_opensWithoutComplaint() {
        String all = table(
                "id",
                "{name: id, type: int64}",
                "{name: name, type: string}",
                "{name: f, type: float64, nullable: true}",
                "{name: b, type: boolean, nullable: true}",
                "{name: ts, type: timestamp, nullable: true}",
                "{name: d, type: date, nullable: true}",
                "{name: p, type: \"decimal(12,2)\", nullable: true}",
                "{name: j, type: json, nullable: true}");
        try (RunningEider first = RunningEider.start(dir, all, Map.of())) {
            ok(first.http()
                    .post(
                            "/v1/tables/people/records",
                            "{\"id\":3,\"name\":\"C\",\"ts\":\"2024-01-01T00:00:00Z\",\"p\":1.5,\"j\":[1]}"));
        }
        try (RunningEider second = RunningEider.start(dir, all, Map.of())) {
            assertThat(record(second.http(), "people", 3).path("p").decimalValue())
                    .isEqualByComparingTo("1.50");
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String yaml) {
        AbstractThrowableAssert<?, ? extends Throwable> refused = assertThatThrownBy(
                        () -> Eider.start(TestConfig.in(dir, yaml, Map.of())).close())
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageStartingWith("table 'people' does not match its declaration");
        // Nothing was changed: the old declaration still starts and the row is there.
        try (RunningEider eider = RunningEider.start(dir, V1, Map.of())) {
            assertThat(record(eider.http(), "people", 1).path("name").asText()).isEqualTo("Ada");
        }
        return refused;
    }

    private static String table(String key, String... columns) {
        return "tables:\n  - name: people\n    primary_key: " + key + "\n    columns:\n"
                + String.join(
                        "",
                        java.util.Arrays.stream(columns)
                                .map(c -> "      - " + c + "\n")
                                .toList());
    }
}
