package dev.eider.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eider.store.StoreException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Database failures the operator must fix are 503 with a retry, in Eider's words, never the driver's. */
class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper(Json.mapper(32, 1 << 20));

    /**
     * Disk full (retry once an operator has freed space) and out of memory (new-user trial: eight pages
     * of 64KB values read at once were 500; retry at once): 503 naming the setting, not the driver's words.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "IO Error: Could not write file \"/var/lib/eider/data.db.wal\": File too large | | 30 | storage.path",
                "IO Error: Could not write file \"/var/lib/eider/data.db.wal\": No space left on device | | 30 | storage.path",
                "could not extend file \"base/16384/2619\": No space left on device | 53100 | 30 | storage.path",
                // New-user trial (a full disk while a large request was staged): the system's words inside another
                // error.
                "TransactionContext Error: Failed to commit: Could not write file \"/var/lib/eider/data.db.wal\": No space"
                        + " left on device | | 30 | storage.path",
                "Could not write file \"/var/lib/eider/data.db.wal\": Read-only file system | | 30 | storage.path",
                "could not write to file \"pg_wal/xlogtemp.123\": I/O error | 58030 | 30 | storage.path",
                "Out of Memory Error: failed to allocate data of size 16.0 MiB (244.3 MiB/256.0 MiB used) | | 1"
                        + " | storage.memory_limit",
                "Out of Memory Error: could not allocate block of size 256.0 KiB (255.9 MiB/256.0 MiB used) | | 1"
                        + " | storage.memory_limit",
                "out of memory for query result | 53200 | 1 | storage.memory_limit"
            })
    void databaseFailureTheOperatorOrATryAgainCures_is503WithRetryAfter_namingTheSetting(
            String driverMessage, String state, String retryAfter, String setting) {
        StoreException e = new StoreException("cannot stage rows for records", new SQLException(driverMessage, state));

        Reply reply = mapper.reply(e);

        String body = new String(reply.body(), UTF_8);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsEntry("Retry-After", retryAfter);
        assertThat(body).contains(setting).contains("nothing in this request was acknowledged");
        assertThat(body).doesNotContain(driverMessage).doesNotContain("16384").doesNotContain("MiB");
    }

    @Test
    void databaseInvalidatedByAFatalError_is503SayingItMustBeRestarted() {
        // New-user trial: after DuckDB's checkpoint failed (a read-only folder), /health/ready and reads were 500.
        StoreException e = new StoreException(
                "cannot read records",
                new SQLException("FATAL Error: Failed: database has been invalidated because of a previous fatal"
                        + " error. The database must be restarted prior to being used again."));

        Reply reply = mapper.reply(e);

        String body = new String(reply.body(), UTF_8);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsKey("Retry-After");
        assertThat(body).contains("restart").doesNotContain("FATAL");
    }

    @Test
    void otherDatabaseFailures_stay500_withoutTheDriversWords() {
        StoreException e =
                new StoreException("cannot apply", new SQLException("Constraint Error: duplicate key \"7\"", "23505"));

        Reply reply = mapper.reply(e);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(new String(reply.body(), UTF_8)).doesNotContain("duplicate key");
    }
}
