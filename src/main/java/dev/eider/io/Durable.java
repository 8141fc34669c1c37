package dev.eider.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What makes a new file's name survive a power loss (a {@code kill -9} is not affected). */
public final class Durable {

    private Durable() {}

    /**
     * Forces the folder itself to disk: a file created (or renamed) in it is durable only once the folder's
     * entry for it is, which forcing the file alone does not do.
     */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
