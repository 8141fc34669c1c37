import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain side of bench/files-bench.sh: writes COUNT copies of SOURCE into DIR with THREADS
 * threads, each a durable create: a new file forced to disk, then its folder forced so the name
 * survives a crash (what Eider's folder target does for an object, without its temporary name and
 * link). Prints the seconds it took. Usage: java PlainWrite.java SOURCE DIR COUNT THREADS
 */
public class PlainWrite {
    public static void main(String[] args) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        Path dir = Files.createDirectories(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(args[3]));
        long t0 = System.nanoTime();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path to = dir.resolve("plain-" + i);
            writes.add(pool.submit(() -> write(to, bytes)));
        }
        for (Future<?> w : writes) {
            w.get();
        }
        System.out.printf("%.3f%n", (System.nanoTime() - t0) / 1e9);
        pool.shutdown();
    }

    static Void write(Path to, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try (FileChannel folder = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
        return null;
    }
}
