package dev.eider.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    @Test
    void readAll_afterReopen_returnsEntriesInOrder() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            log.reset(1);
            log.append(1, bytes("one"));
            log.append(2, bytes("two"));
            log.sync();
        }
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            assertThat(log.readAll()).extracting(WriteAheadLogTest::text).containsExactly("one", "two");
        }
    }

    @Test
    void readAll_withTornTail_dropsOnlyTheTornEntry() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            log.reset(1);
            log.append(1, bytes("kept"));
            log.append(2, bytes("torn-entry"));
            log.sync();
        }
        Path segment = onlySegment();
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // a crash in the middle of the second write
        }
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            assertThat(log.readAll()).extracting(WriteAheadLogTest::text).containsExactly("kept");
            log.reset(3);
            log.append(3, bytes("after"));
            log.sync();
            assertThat(log.readAll()).extracting(WriteAheadLogTest::text).containsExactly("after");
        }
    }

    @Test
    void readAll_withCorruptedPayload_stopsAtTheCorruption() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            log.reset(1);
            log.append(1, bytes("good"));
            log.append(2, bytes("flipped"));
            log.sync();
        }
        Path segment = onlySegment();
        byte[] content = Files.readAllBytes(segment);
        content[content.length - 1] ^= 0x55;
        Files.write(segment, content);
        try (WriteAheadLog log = new WriteAheadLog(dir, 1 << 20)) {
            assertThat(log.readAll()).extracting(WriteAheadLogTest::text).containsExactly("good");
        }
    }

    @Test
    void readAll_withDamageBeforeTheNewestSegment_refusesToRead() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 16)) { // tiny segments: one entry each
            log.reset(1);
            log.append(1, bytes("entry-one-0123456789"));
            log.append(11, bytes("entry-two-0123456789"));
            log.sync();
        }
        Path first = segments().get(0);
        byte[] content = Files.readAllBytes(first);
        content[content.length - 1] ^= 0x55;
        Files.write(first, content);
        try (WriteAheadLog log = new WriteAheadLog(dir, 16)) {
            assertThatThrownBy(log::readAll).isInstanceOf(IOException.class).hasMessageContaining("damaged");
        }
    }

    @Test
    void truncate_deletesOnlySegmentsWhollyApplied() throws IOException {
        try (WriteAheadLog log = new WriteAheadLog(dir, 16)) { // tiny segments: one entry each
            log.reset(1);
            log.append(1, bytes("entry-one-0123456789"));
            log.append(11, bytes("entry-two-0123456789"));
            log.append(21, bytes("entry-three-0123456"));
            log.sync();
            assertThat(segments()).hasSize(3);

            log.truncate(15); // the second segment holds 11..20: only the first is wholly applied
            assertThat(segments()).hasSize(2);
            assertThat(log.readAll())
                    .extracting(WriteAheadLogTest::text)
                    .containsExactly("entry-two-0123456789", "entry-three-0123456");
        }
    }

    private Path onlySegment() throws IOException {
        List<Path> s = segments();
        assertThat(s).hasSize(1);
        return s.get(0);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
