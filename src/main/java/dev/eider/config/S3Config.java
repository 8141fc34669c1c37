package dev.eider.config;

/**
 * How to reach an S3-compatible store; credentials come from the AWS SDK's default chain.
 *
 * @param endpoint an endpoint override such as {@code http://127.0.0.1:9000}, or null for AWS
 * @param region the signing region
 * @param pathStyle whether to address buckets in the path rather than the host name
 * @param multipartThreshold objects above this size go up as multipart uploads
 * @param partSize the size of each part of a multipart upload (raised for files that would need
 *     more than S3's 10,000 parts)
 */
public record S3Config(
        String endpoint, String region, boolean pathStyle, DataSize multipartThreshold, DataSize partSize) {

    public static final DataSize DEFAULT_MULTIPART_THRESHOLD = DataSize.ofMegabytes(64);
    /**
     * S3's smallest part: a snapshot's file goes up in parts while DuckDB writes it, and what is left when
     * {@code COPY} ends (half a part on average) goes after it; 16 MiB parts left 7 MB of a 10M-row snapshot's
     * 23 MB for after (bench/RESULTS.md, round sixteen).
     */
    public static final DataSize DEFAULT_PART_SIZE = DataSize.ofMegabytes(5);

    /** S3's limit on single uploads. */
    public static final DataSize MAX_SINGLE_PUT = new DataSize(5L << 30);

    public S3Config {
        PartSize.check("export.s3.part_size", partSize);
        if (multipartThreshold.bytes() > MAX_SINGLE_PUT.bytes()) {
            throw new ConfigException("export.s3.multipart_threshold: " + multipartThreshold
                    + " is above S3's 5GB limit for a single upload");
        }
    }

    public S3Config(String endpoint, String region, boolean pathStyle) {
        this(endpoint, region, pathStyle, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
    }
}
