package dev.eider.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads a small body of declared length into memory without blocking a thread: what has arrived
 * is taken at once, the rest on the thread Jetty calls back when more arrives, then the body is
 * handed on. A failure on the way (the client went away, the idle timeout) is kept and thrown
 * where the endpoint reads past the bytes that came, as a blocking read would have thrown it.
 */
final class BodyBuffer implements Invocable.Task {

    /**
     * The largest body read this way, about one of Jetty's own connection buffers: a larger or
     * chunked body streams on the request pool as before, so memory held per connection stays
     * small whatever {@code server.max_body} allows.
     */
    static final int LIMIT = 16 * 1024;

    /** A body read into memory, with the failure that cut it short, if any. */
    record Body(byte[] bytes, int length, IOException failure) {

        /** The body's bytes, then its failure, if any. */
        InputStream stream() {
            InputStream arrived = new ByteArrayInputStream(bytes, 0, length);
            return failure == null ? arrived : new SequenceInputStream(arrived, new Failing(failure));
        }
    }

    /** A stream whose every read throws the failure that cut a body short. */
    private static final class Failing extends InputStream {
        private final IOException failure;

        Failing(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }
    }

    private static final byte[] NONE = new byte[0];

    private final Request request;
    private final int declared;
    private final Consumer<Body> then;
    /**
     * Grown as bytes arrive, never to more than twice what came (nor past the declared length): a
     * client that declares 16 KiB and sends nothing must not make every idle connection hold 16 KiB.
     */
    private byte[] bytes = NONE;

    private int length;

    private BodyBuffer(Request request, int declared, Consumer<Body> then) {
        this.request = request;
        this.declared = declared;
        this.then = then;
    }

    /** Whether {@code request}'s body is small enough, and of known length, to read this way. */
    static boolean fits(Request request, long maxBody) {
        long declared = request.getLength();
        return declared >= 0 && declared <= Math.min(LIMIT, maxBody);
    }

    /** Reads {@code request}'s body (which {@link #fits}) and calls {@code then} with it once complete. */
    static void read(Request request, Consumer<Body> then) {
        new BodyBuffer(request, (int) request.getLength(), then).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            IOException failure = Content.Chunk.isFailure(chunk) ? IO.rethrow(chunk.getFailure()) : copy(chunk);
            boolean last = chunk.isLast();
            chunk.release();
            if (failure != null || last) {
                then.accept(new Body(bytes, length, failure));
                return;
            }
        }
    }

    /** Copies a chunk's bytes; Jetty frames the body by its declared length, so more cannot come. */
    private IOException copy(Content.Chunk chunk) {
        ByteBuffer in = chunk.getByteBuffer();
        int n = in.remaining();
        if (n > declared - length) {
            return new IOException("the body is longer than its declared " + declared + " bytes");
        }
        if (n > bytes.length - length) {
            bytes = Arrays.copyOf(bytes, Math.min(declared, Math.max(length + n, 2 * bytes.length)));
        }
        in.get(bytes, length, n);
        length += n;
        return null;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
