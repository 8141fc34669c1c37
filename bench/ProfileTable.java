import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns async-profiler's collapsed stacks (taken with the {@code threads} option, so each stack
 * starts with its thread) into CPU microseconds per request by part of the write path. Samples are
 * scaled to the process CPU time measured from /proc over the same window, so the table adds up
 * to what the process used. Usage:
 * java bench/ProfileTable.java <collapsed.txt> <process-cpu-ms> <requests>
 */
public class ProfileTable {

  /** A part of the path: the threads it runs on and the frames that tell it apart (first match wins). */
  record Part(String name, Predicate<String> thread, Predicate<String> stack) {}

  static Predicate<String> has(String... frames) {
    return s -> {
      for (String f : frames) {
        if (s.contains(f)) {
          return true;
        }
      }
      return false;
    };
  }

  static final Predicate<String> ANY = s -> true;
  static final Predicate<String> HTTP = t -> t.startsWith("[eider-http");
  static final Predicate<String> LOG = t -> t.startsWith("[eider-log-writer");
  // DuckDB's own worker threads keep the name of the thread that started them, "java".
  static final Predicate<String> APPLY = t -> t.startsWith("[eider-applier") || t.startsWith("[java ");

  static final List<Part> PARTS = List.of(
      new Part("request thread: JSON parse + RecordReader", HTTP, has("OriginalRecordRoute.read", "jackson")),
      new Part("request thread: metrics (request timer)", HTTP, has("EiderMetrics")),
      new Part("request thread: Eider handler (route, auth, submit)", HTTP, has("dev/eider/")),
      new Part("request thread: Jetty HTTP parse", HTTP, has("HttpParser")),
      new Part("request thread: socket read", HTTP, has("SocketChannelEndPoint.fill")),
      new Part("request thread: selector (epoll)", HTTP, has("ManagedSelector")),
      new Part("request thread: thread hand-off (park/unpark)", HTTP,
          has("idleJobPoll", "waitForTask", "Unsafe.park", "LockSupport")),
      new Part("request thread: other Jetty", HTTP, ANY),
      new Part("log writer: metrics (commit and request timers)", LOG, has("EiderMetrics")),
      new Part("log writer: answer written to the socket", LOG, has("EiderHandler.respond")),
      new Part("log writer: fdatasync", LOG, has("WriteAheadLog.sync")),
      new Part("log writer: append to the log file", LOG, has("WriteAheadLog.append")),
      new Part("log writer: encode (LogCodec)", LOG, has("LogCodec", "encode")),
      new Part("log writer: hand-off to applier", LOG, has("Applier.enqueue")),
      new Part("log writer: queue wait and other", LOG, ANY),
      new Part("applier: DuckDB delete and insert through the index", APPLY, has("DuckDbWriter.replaceThroughIndex")),
      new Part("applier: DuckDB delete join and insert (large batches)", APPLY, has("DuckDbWriter.merge")),
      new Part("applier: DuckDB commit", APPLY, has("DuckDBConnection.commit")),
      new Part("applier: DuckDB appender", APPLY, has("DuckDbWriter.append", "DuckDBAppender")),
      new Part("applier: DuckDB other statements", APPLY, has("DuckDbWriter")),
      new Part("applier: DuckDB worker threads", t -> t.startsWith("[java "), ANY),
      new Part("applier: other", APPLY, ANY),
      new Part("JIT compiler", t -> t.contains("CompilerThre"), ANY),
      new Part("GC and VM", t -> t.startsWith("[VM ") || t.startsWith("[GC "), ANY),
      new Part("export scheduler (periodic)", t -> t.startsWith("[eider-export"), ANY),
      new Part("other threads", ANY, ANY));

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    double cpuMs = Double.parseDouble(args[1]);
    long requests = Long.parseLong(args[2]);
    Map<String, Long> samples = new LinkedHashMap<>();
    PARTS.forEach(p -> samples.put(p.name(), 0L));
    long total = 0;
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      long n = Long.parseLong(line.substring(space + 1));
      String stack = line.substring(0, space);
      String thread = stack.substring(0, Math.max(0, stack.indexOf(';')));
      for (Part p : PARTS) {
        if (p.thread().test(thread) && p.stack().test(stack)) {
          samples.merge(p.name(), n, Long::sum);
          break;
        }
      }
      total += n;
    }
    double usPerSample = cpuMs * 1000 / total / requests;
    System.out.printf("| Part | Samples | µs per request | Share |%n|---|---:|---:|---:|%n");
    for (Map.Entry<String, Long> e : samples.entrySet()) {
      if (e.getValue() > 0) {
        System.out.printf("| %s | %d | %.1f | %.1f%% |%n",
            e.getKey(), e.getValue(), e.getValue() * usPerSample, 100.0 * e.getValue() / total);
      }
    }
    System.out.printf("| **total (process CPU %.0f ms / %d requests)** | %d | **%.1f** | 100%% |%n",
        cpuMs, requests, total, cpuMs * 1000 / requests);
  }
}
