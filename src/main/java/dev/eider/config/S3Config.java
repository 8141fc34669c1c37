package dev.eider.config;

/**
 * How to reach an S3-compatible store; credentials come from the AWS SDK's default chain.
 *
 * @param endpoint an endpoint override such as {@code http://127.0.0.1:9000}, or null for AWS
 * @param region the signing region
 * @param pathStyle whether to address buckets in the path rather than the host name
 */
public record S3Config(String endpoint, String region, boolean pathStyle) {}
