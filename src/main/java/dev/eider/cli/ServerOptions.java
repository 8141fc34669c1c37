package dev.eider.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags only {@code eider serve} has: where to listen and how often to export. */
final class ServerOptions {

    @Option(names = "--port", description = "The HTTP port (server.port, default 8000).")
    Integer port;

    @Option(
            names = "--host",
            description = "The address to listen on (server.host; default 127.0.0.1 when no tokens are configured).")
    String host;

    @Option(
            names = "--export-every",
            paramLabel = "DURATION",
            description = "How often to export each table, such as 15m or 1h (export.every, default 1h).")
    String exportEvery;

    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        ConfigOptions.put(flags, "server.port", port);
        ConfigOptions.put(flags, "server.host", host);
        ConfigOptions.put(flags, "export.every", exportEvery);
        return flags;
    }
}
