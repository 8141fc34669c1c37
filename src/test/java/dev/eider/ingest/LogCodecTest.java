package dev.eider.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eider.store.Mutation;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import dev.eider.testing.EveryType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogCodecTest {

    private static final TableDef EVENTS = EveryType.EVENTS;

    private final Catalog catalog = new Catalog(List.of(EVENTS));

    @Test
    void decode_ofEncodedRequests_returnsEveryValueAndSequence() throws IOException {
        Object[] full = {
            7L,
            "näme",
            1.5,
            true,
            Instant.parse("2024-05-01T12:00:00.123456Z"),
            LocalDate.of(2024, 5, 1),
            new BigDecimal("12.30"),
            "{\"a\":[1,2]}"
        };
        Object[] sparse = {8L, null, null, null, null, null, null, null};
        List<WriteBatch.Sequenced> parts = List.of(
                new WriteBatch.Sequenced(
                        new WriteBatch.Rows(List.of(Mutation.upsert(EVENTS, full), Mutation.upsert(EVENTS, sparse))),
                        10),
                new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(EVENTS, 7L))), 12));
        LogCodec codec = new LogCodec(catalog, null);

        List<WriteBatch.Sequenced> decoded = codec.decode(codec.encode(parts), 0);

        assertThat(decoded).extracting(WriteBatch.Sequenced::firstSequence).containsExactly(10L, 12L);
        List<Mutation> first = ((WriteBatch.Rows) decoded.get(0).part()).mutations();
        assertThat(first.get(0).values()).containsExactly(full);
        assertThat(first.get(1).values()).containsExactly(sparse);
        Mutation delete = ((WriteBatch.Rows) decoded.get(1).part()).mutations().get(0);
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.key()).isEqualTo(7L);
    }

    @Test
    void decode_ofTimestampsFarFromTheEpoch_keepsThemExact() throws IOException {
        LogCodec codec = new LogCodec(catalog, null);
        for (String t : List.of("0001-01-01T00:00:00Z", "1500-06-15T12:34:56.789012Z", "9999-12-31T23:59:59.999999Z")) {
            Object[] row = {1L, null, null, null, Instant.parse(t), null, null, null};
            byte[] entry = codec.encode(
                    List.of(new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.upsert(EVENTS, row))), 1)));

            Object decoded = ((WriteBatch.Rows) codec.decode(entry, 0).get(0).part())
                    .mutations()
                    .get(0)
                    .values()[4];

            assertThat(decoded).isEqualTo(Instant.parse(t));
        }
    }

    @Test
    void decode_skipsRequestsAlreadyApplied() throws IOException {
        LogCodec codec = new LogCodec(catalog, null);
        List<WriteBatch.Sequenced> parts = List.of(
                new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(EVENTS, 1L))), 5),
                new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(EVENTS, 2L))), 6));

        assertThat(codec.decode(codec.encode(parts), 5))
                .extracting(WriteBatch.Sequenced::firstSequence)
                .containsExactly(6L);
    }

    @Test
    void decode_ofTableNoLongerDeclared_failsNamingTheTable() {
        byte[] entry = new LogCodec(catalog, null)
                .encode(List.of(
                        new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(EVENTS, 1L))), 1)));
        LogCodec withoutEvents = new LogCodec(new Catalog(List.of()), null);

        assertThatThrownBy(() -> withoutEvents.decode(entry, 0)).hasMessageContaining("table 'events'");
    }

    @Test
    void decode_entryOfFormatOneWithoutFormatByte_stillReads() throws IOException {
        LogCodec codec = new LogCodec(catalog, null);
        byte[] current = codec.encode(List.of(new WriteBatch.Sequenced(
                new WriteBatch.Rows(
                        List.of(Mutation.upsert(EVENTS, new Object[] {5L, "old", null, null, null, null, null, null}))),
                3)));
        // Format 1 was the same entry without its first byte.
        byte[] legacy = java.util.Arrays.copyOfRange(current, 1, current.length);

        List<WriteBatch.Sequenced> decoded = codec.decode(legacy, 0);

        assertThat(decoded).extracting(WriteBatch.Sequenced::firstSequence).containsExactly(3L);
        assertThat(((WriteBatch.Rows) decoded.get(0).part()).mutations().get(0).values()[1])
                .isEqualTo("old");
    }

    @Test
    void decode_entryOfUnknownFormat_isRefusedWithWhatToDo() {
        LogCodec codec = new LogCodec(catalog, null);
        byte[] future = codec.encode(
                List.of(new WriteBatch.Sequenced(new WriteBatch.Rows(List.of(Mutation.delete(EVENTS, 1L))), 1)));
        future[0] = 9;

        assertThatThrownBy(() -> codec.decode(future, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown format 9")
                .hasMessageContaining("run the Eider version that wrote it");
    }
}
