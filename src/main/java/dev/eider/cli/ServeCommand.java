package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.config.EiderConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code eider serve}: runs the service until it is stopped. */
@Command(
        name = "serve",
        description = "Run the HTTP service until it is stopped (Ctrl-C or SIGTERM).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws Exception {
        EiderConfig config = options.load(server.flags());
        Eider eider = Eider.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                eider.close();
                            } catch (Exception e) {
                                System.err.println("eider: error while stopping: " + e.getMessage());
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "eider-shutdown"));
        stopped.await();
        return 0;
    }
}
