package dev.eider.table;

import java.time.Instant;

/** Timestamps as microseconds since the epoch, the precision Eider stores and exports. */
public final class EpochMicros {

    private EpochMicros() {}

    /** Unlike {@code ChronoUnit.MICROS.between}, exact over the years 0001 to 9999 (no nanosecond overflow). */
    public static long of(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
