package dev.eider.store.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB's native library, unpacked once beside {@code eider.jar} and reused by every later start.
 *
 * <p>DuckDB's JDBC driver copies the library bundled at the root of its jar into the temporary folder at
 * each start (70 MB, half a second, left behind by {@code kill -9}); it has no setting for a path. When
 * the library is not bundled it loads {@code libduckdb_java.so_<os>_<arch>} from the folder of the jar
 * that holds its classes. So the packaged jar carries the libraries under {@value #FOLDER} instead, and
 * this class puts the one this machine needs there before DuckDB's first use (docs/decisions.md).
 * Running from classes (tests, an IDE), nothing is under {@value #FOLDER} and DuckDB unpacks its own.
 */
public final class NativeLibrary {

    private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);
    static final String FOLDER = "eider-native";

    private static boolean ready;

    private NativeLibrary() {}

    /** Unpacks the library beside the jar, once (for install scripts: {@code java -cp eider.jar <this class>}). */
    public static void main(String[] args) {
        unpack();
    }

    /**
     * Unpacks the library and loads it now. A store that needs DuckDB only to write and read Parquet
     * (PostgreSQL) then fails at start, in plain words, rather than at each export while holding the
     * table's export lease.
     */
    public static void requireLoaded() {
        unpack();
        try {
            // Opening an in-memory database is enough: the native library is loaded by then.
            java.sql.DriverManager.getConnection("jdbc:duckdb:").close();
        } catch (java.sql.SQLException | LinkageError e) {
            throw new dev.eider.store.StoreException(
                    "cannot load DuckDB's native library, which exports and restore use to write and read Parquet: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Makes sure DuckDB finds its library beside the jar; does nothing when it already is there. */
    static synchronized void unpack() {
        if (ready) {
            return;
        }
        String name = "libduckdb_java.so_" + os() + "_" + arch();
        URL bundled = NativeLibrary.class.getResource("/" + FOLDER + "/" + name);
        if (bundled != null) {
            unpack(bundled, name);
        }
        ready = true;
    }

    private static void unpack(URL bundled, String name) {
        Path jar = jar();
        Path lib = jar.resolveSibling(name);
        try {
            JarEntry entry = ((JarURLConnection) bundled.openConnection()).getJarEntry();
            FileTime stamp = FileTime.fromMillis(entry.getTime());
            // Same size and time as the jar's entry: unpacked from this jar (a new jar's library differs in both).
            if (Files.isRegularFile(lib)
                    && Files.size(lib) == entry.getSize()
                    && Files.getLastModifiedTime(lib).equals(stamp)) {
                return;
            }
            Path part = Files.createTempFile(lib.getParent(), name, ".part");
            try (InputStream in = bundled.openStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(part, stamp);
                // A process still running on an older copy keeps it: the move replaces the name, not the file.
                Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            log.atInfo()
                    .addKeyValue("event", "native_library_unpacked")
                    .addKeyValue("path", lib)
                    .addKeyValue("bytes", entry.getSize())
                    .log("DuckDB's native library unpacked beside the jar; later starts reuse it");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot unpack DuckDB's native library to " + lib + " (" + e.getMessage()
                            + "): Eider unpacks it beside its jar at the first start; let that folder be written"
                            + " once, for example with: sudo java -cp " + jar + " " + NativeLibrary.class.getName(),
                    e);
        }
    }

    private static Path jar() {
        try {
            return Path.of(NativeLibrary.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toRealPath();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot find the folder of Eider's jar: " + e.getMessage(), e);
        }
    }

    /** The names DuckDB's driver uses for its bundled libraries. */
    private static String os() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : "linux";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    }
}
