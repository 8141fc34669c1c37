package dev.eider.export;

import static dev.eider.export.ExportWait.finish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.testing.EiderServer;
import dev.eider.testing.ExportedTable;
import dev.eider.testing.Http;
import dev.eider.testing.Jsons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "read the latest snapshot with DuckDB" recipe, as printed, after the very first export. */
class ReadmeRecipeIT {

    @RegisterExtension
    final EiderServer eider = EiderServer.withDefaults();

    @Test
    void readmeRecipe_afterFirstDefaultExport_readsEveryRecord() throws Exception {
        Http http = eider.http();
        for (int i = 1; i <= 3; i++) {
            assertThat(http.post("/record", "{\"id\": " + i + ", \"value\": \"v" + i + "\"}")
                            .statusCode())
                    .isEqualTo(200);
        }
        var r = http.post("/v1/exports", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(finish(http, Jsons.parse(r.body()).path("id").asLong())
                        .path("state")
                        .asText())
                .isEqualTo("succeeded");

        String exports = eider.dir().resolve("exports").toAbsolutePath() + "/";
        List<String> statements =
                List.of(recipe().replace("'exports/", "'" + exports).split(";\\s*\n"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            for (int i = 0; i < statements.size() - 1; i++) {
                st.execute(statements.get(i));
            }
            assertThat(ExportedTable.rows(
                            st, statements.get(statements.size() - 1).replaceAll(";\\s*$", "")))
                    .containsExactlyInAnyOrder("1|v1|1", "2|v2|2", "3|v3|3");
        }
    }

    /** The SQL block that follows "Read the latest snapshot with DuckDB" in README.md. */
    private static String recipe() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile(
                        "Read the latest snapshot with DuckDB[^\\n]*\\n\\n```sql\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(m.find()).as("the recipe is in the README").isTrue();
        return m.group(1).trim();
    }
}
