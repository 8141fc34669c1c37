package dev.eider.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads of a file another process may still be appending to: its size now, a range of its bytes, and the
 * CRC32C of all of them.
 */
final class FileBytes {

    private FileBytes() {}

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads exactly {@code length} bytes at {@code offset} into the start of {@code into}. */
    static void read(Path file, long offset, byte[] into, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(into, 0, length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw new IllegalStateException(file + " is shorter than it was");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The CRC32C of the whole file, read through a direct buffer (no copy into the heap). */
    static long crc32c(Path file) {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(b) >= 0) {
                b.flip();
                crc.update(b);
                b.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return crc.getValue();
    }
}
