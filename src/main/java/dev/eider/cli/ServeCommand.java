package dev.eider.cli;

import dev.eider.Eider;
import dev.eider.config.EiderConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code eider serve}: runs the service until it is stopped. */
@Command(name = "serve", description = "Run the HTTP service.", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        EiderConfig config = options.load();
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
