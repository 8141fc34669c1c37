package dev.eider.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvRowLengthTest {

    private static long longest(String... writes) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        StringBuilder all = new StringBuilder();
        try (CsvRowLength out = new CsvRowLength(sink)) {
            for (String w : writes) {
                out.write(w.getBytes(StandardCharsets.UTF_8));
                all.append(w);
            }
            assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(all.toString());
            return out.longest();
        }
    }

    @Test
    void plainRows_longestWithItsNewline() throws IOException {
        assertThat(longest("1,a\n", "22,bbbb\n", "3,c\n")).isEqualTo(8);
    }

    @Test
    void newlineInsideQuotes_belongsToTheRow() throws IOException {
        assertThat(longest("1,\"a\nb\nc\"\n2,d\n")).isEqualTo(10);
    }

    @Test
    void doubledQuotesInsideQuotes_keepTheRowOpen() throws IOException {
        // The value is  x"\ny  : the newline after the doubled quote is still inside the value.
        assertThat(longest("1,\"x\"\"\ny\"\n2,z\n")).isEqualTo(10);
    }

    @Test
    void rowSplitAcrossWrites_countedWhole() throws IOException {
        assertThat(longest("1,\"ab", "cd\nef", "\"\n", "2,g\n")).isEqualTo(12);
    }

    @Test
    void lastRowWithoutNewline_counted() throws IOException {
        assertThat(longest("1,a\n", "2,abcdefgh")).isEqualTo(10);
    }

    @Test
    void singleByteWrites_countedLikeArrays() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (CsvRowLength out = new CsvRowLength(sink)) {
            for (byte b : "1,\"a\nb\"\n2,c\n".getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
            }
            assertThat(out.longest()).isEqualTo(8);
        }
    }
}
