package dev.eider.config;

/**
 * The bounds on a multipart upload's part: S3's (5MB to 5GB), and Eider's own, since a part is held in
 * memory while it goes up: at most 2047MB (one Java array) and a quarter of the Java heap. A part of 2GB overflowed the buffer and a
 * part of 128MB under the launcher's 160MB heap ran the export out of memory on every attempt (a new-user
 * trial); both are refused at start instead.
 */
final class PartSize {

    static final DataSize MIN = DataSize.ofMegabytes(5);
    static final DataSize MAX = new DataSize(5L << 30);
    /** A part is one Java array, which holds at most 2^31 - 1 bytes. */
    static final DataSize MAX_IN_MEMORY = DataSize.ofMegabytes(2047);

    private PartSize() {}

    static void check(String setting, DataSize size) {
        if (size.bytes() < MIN.bytes()) {
            throw new ConfigException(setting + ": " + size + " is below S3's minimum part size of 5MB");
        }
        if (size.bytes() > MAX.bytes()) {
            throw new ConfigException(setting + ": " + size + " is above S3's largest part size of 5GB");
        }
        if (size.bytes() > MAX_IN_MEMORY.bytes()) {
            throw new ConfigException(setting + ": " + size + " is above " + MAX_IN_MEMORY
                    + ", the largest part Eider holds in memory (one Java array) while it goes up");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (size.bytes() > heap / 4) {
            throw new ConfigException(setting + ": " + size + " is more than a quarter of the Java heap ("
                    + (heap >> 20) + "MB), and a part is held in memory while it goes up; lower it, or give Java more"
                    + " memory (-Xmx in EIDER_JAVA_OPTS)");
        }
    }
}
