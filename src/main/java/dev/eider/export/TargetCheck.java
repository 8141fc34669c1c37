package dev.eider.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Proves a target works before an export needs it: writes a probe object, reads it back byte for
 * byte (a store that keeps transfer encodings inside objects fails here) and deletes it. Used by
 * {@code eider check} and by the service at start.
 */
public final class TargetCheck {

    /** The outcome, with what is wrong in plain words when it failed, and the setting that says where. */
    public record Result(boolean ok, String detail, String setting) {

        Result(boolean ok, String detail) {
            this(ok, detail, "export.target");
        }
    }

    private TargetCheck() {}

    /** Runs the probe through {@code workDir} (where exports stage their files, so it must be writable too). */
    public static Result run(ExportTarget target, Path workDir) {
        return runEach(target, workDir, false).get(0);
    }

    /**
     * Like {@link #run}, but a work folder that cannot be written does not hide the target's own answer: its
     * failure comes first, then the target's, probed through a folder of the system's temporary files.
     */
    public static List<Result> each(ExportTarget target, Path workDir) {
        return runEach(target, workDir, true);
    }

    private static List<Result> runEach(ExportTarget target, Path workDir, boolean targetToo) {
        // At the target's top level: a folder target would keep the folder of a nested key.
        String key = "_eider-check-" + UUID.randomUUID() + ".txt";
        byte[] content = ("eider check " + key + "\n").getBytes(StandardCharsets.UTF_8);
        List<Path> created = new ArrayList<>(missingFolders(workDir));
        if (target instanceof FolderTarget folder) {
            // A folder target makes its folder for the probe: a check leaves no empty one behind.
            created.addAll(missingFolders(folder.root()));
        }
        List<Result> results = new ArrayList<>();
        Path probe;
        try {
            Files.createDirectories(workDir);
            probe = Files.write(Files.createTempFile(workDir, "check-", ".txt"), content);
        } catch (IOException e) {
            removeQuietly(created);
            results.add(new Result(
                    false, "cannot write in export.work_dir " + workDir + ": " + reason(e), "export.work_dir"));
            if (!targetToo) {
                return results;
            }
            try {
                Path scratch = Files.createTempDirectory("eider-check-");
                created = new ArrayList<>(List.of(scratch));
                if (target instanceof FolderTarget folder) {
                    created.addAll(0, missingFolders(folder.root()));
                }
                probe = Files.write(scratch.resolve("probe.txt"), content);
            } catch (IOException again) {
                throw new UncheckedIOException("cannot write in the system's temporary folder", again);
            }
        }
        try {
            results.add(probe(target, key, probe, content));
            return results;
        } finally {
            // A check changes nothing: the probe goes, and so do the folders made for it.
            removeQuietly(Stream.concat(Stream.of(probe), created.stream()).toList());
        }
    }

    /** The folders of {@code dir} that do not exist yet, deepest first. */
    private static List<Path> missingFolders(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        return missing;
    }

    private static void removeQuietly(List<Path> paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover probe file or empty folder is harmless; the check's answer matters.
            }
        }
    }

    private static Result probe(ExportTarget target, String key, Path probe, byte[] content) {
        String step = "write";
        try {
            target.put(key, probe, Sha256.of(probe));
            step = "read back";
            Optional<byte[]> back = target.read(key);
            step = "delete";
            target.delete(key);
            if (back.isEmpty()) {
                return new Result(false, target.describe() + ": the probe object " + key + " was written but is gone");
            }
            if (!Arrays.equals(back.get(), content)) {
                return new Result(
                        false,
                        target.describe() + ": the store changed the probe object (" + back.get().length
                                + " bytes read back instead of " + content.length
                                + "); it does not keep objects as uploaded");
            }
            return new Result(true, target.describe() + ": wrote, read back and deleted " + key);
        } catch (TargetException e) {
            return new Result(false, "cannot " + step + " a probe object in " + e.getMessage());
        } catch (RuntimeException e) {
            return new Result(false, "cannot " + step + " a probe object in " + target.describe() + ": " + reason(e));
        }
    }

    /** The operating system's reason rather than the exception's type. */
    static String reason(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (cause instanceof FileAlreadyExistsException || cause instanceof NotDirectoryException) {
            // Making a folder found a file at its name (or above it): the exception says only the path.
            return "a file is where a folder must be: " + ((FileSystemException) cause).getFile();
        }
        if (cause instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + ": " + fs.getFile();
        }
        return String.valueOf(cause.getMessage());
    }
}
