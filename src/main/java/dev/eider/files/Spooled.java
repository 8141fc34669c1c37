package dev.eider.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An upload copied to a local temporary file as it streams in (never whole in memory), with its
 * size and SHA-256; the size limit is enforced while copying. Closing deletes the file.
 */
record Spooled(Path file, long size, byte[] digest) implements AutoCloseable {

    private static final int BUFFER = 64 << 10;

    /**
     * Copies {@code in} to a new file in {@code dir}.
     *
     * @throws FileProblem TOO_LARGE as soon as more than {@code maxSize} bytes arrive
     */
    static Spooled copy(InputStream in, Path dir, long maxSize) {
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "upload-", ".tmp");
        } catch (IOException e) {
            throw DiskProblem.unwritable("files.work_dir", dir, e);
        }
        MessageDigest sha = sha256();
        long size = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
                if (size > maxSize) {
                    throw tooLarge(maxSize);
                }
                write(out, buffer, n, dir);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("the upload broke off after " + size + " bytes", io);
            }
            throw (RuntimeException) e;
        }
        return new Spooled(file, size, sha.digest());
    }

    /** A write that fails is the spool folder's fault (full), not the client's. */
    private static void write(OutputStream out, byte[] buffer, int n, Path dir) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw DiskProblem.unwritable("files.work_dir", dir, e);
        }
    }

    static FileProblem tooLarge(long maxSize) {
        return new FileProblem(
                FileProblem.Reason.TOO_LARGE,
                "the file is larger than files.max_size (" + maxSize + " bytes); raise files.max_size to accept it");
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(digest);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover spool file in files.work_dir holds nothing any row names.
        }
    }
}
