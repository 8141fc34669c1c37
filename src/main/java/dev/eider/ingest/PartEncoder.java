package dev.eider.ingest;

import dev.eider.store.WriteBatch;
import java.nio.ByteBuffer;

/** Encodes one request for the log ({@link LogCodec#encodePart}); a seam for tests that make encoding fail. */
@FunctionalInterface
interface PartEncoder {
    ByteBuffer encode(WriteBatch.Part part);
}
