package dev.eider.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback between the service and S3Proxy that injects faults into new
 * connections: answers 503, delays, drops connections, or passes them through.
 */
public final class FaultyProxy implements AutoCloseable {

    /** What happens to the next connections. */
    public enum Mode {
        PASS,
        /** Waits before passing the connection through. */
        DELAY,
        /** Answers every request with HTTP 503 and closes. */
        ERROR,
        /** Closes the connection at once, as an unreachable store would. */
        DROP
    }

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile Mode mode = Mode.PASS;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Switches mode; connections already open (the SDK keeps them alive) are cut so the change takes effect at once. */
    public void mode(Mode mode) {
        this.mode = mode;
        open.forEach(FaultyProxy::closeQuietly);
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client, mode));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client, Mode now) {
        try {
            switch (now) {
                case DROP -> client.close();
                case ERROR -> {
                    client.getInputStream().read(new byte[8192]);
                    client.getOutputStream()
                            .write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    client.close();
                }
                case DELAY -> {
                    Thread.sleep(300);
                    pipe(client);
                }
                case PASS -> pipe(client);
            }
        } catch (IOException e) {
            closeQuietly(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client);
        }
    }

    private void pipe(Socket client) throws IOException {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        threads.execute(() -> copy(client, upstream));
        copy(upstream, client);
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // One side closed; close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
