package dev.eider.export;

import dev.eider.config.ConfigException;
import dev.eider.config.S3Config;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the place a target URI names: {@code s3://bucket/prefix} or {@code file:/path}. The export
 * target and the files target ({@code files.target}) are parsed here alike, so both refuse the same
 * URIs in the same words.
 */
public final class ExportTargets {

    /** Where a target URI points. */
    public sealed interface Location permits S3Location, FolderLocation {}

    /** A bucket and a key prefix (empty, or starting with {@code /}). */
    public record S3Location(String bucket, String prefix) implements Location {}

    /** A local folder. */
    public record FolderLocation(Path folder) implements Location {}

    private ExportTargets() {}

    public static ExportTarget open(String uri, S3Config s3) {
        return open("export.target", uri, s3);
    }

    /**
     * @param setting the setting or flag that gave {@code uri}, named in errors
     */
    public static ExportTarget open(String setting, String uri, S3Config s3) {
        Location at = locate(setting, uri);
        if (at instanceof S3Location bucket) {
            return s3(
                    bucket,
                    S3Target.client(s3),
                    s3,
                    s3.multipartThreshold().bytes(),
                    s3.partSize().bytes());
        }
        return new FolderTarget(((FolderLocation) at).folder());
    }

    /** An S3 target at {@code at} on {@code client}, whose errors name the configured endpoint. */
    public static S3Target s3(S3Location at, S3Client client, S3Config s3, long multipartThreshold, long partSize) {
        return new S3Target(client, s3.endpoint(), at.bucket(), at.prefix(), multipartThreshold, partSize);
    }

    /**
     * Parses a target URI.
     *
     * @param setting the setting or flag that gave {@code uri}, named in errors
     * @throws ConfigException when the URI names neither a bucket nor a folder
     */
    public static Location locate(String setting, String uri) {
        // A scheme is case-insensitive (RFC 3986): S3://bucket is s3://bucket.
        if (uri.regionMatches(true, 0, "s3://", 0, 5)) {
            uri = "s3://" + uri.substring(5);
        } else if (uri.regionMatches(true, 0, "file:", 0, 5)) {
            uri = "file:" + uri.substring(5);
        }
        if (uri.startsWith("s3://")) {
            URI u = parse(setting, uri);
            if (u.getHost() == null || u.getHost().isBlank()) {
                throw new ConfigException(setting + ": '" + uri + "' names no bucket; expected s3://bucket/prefix");
            }
            return new S3Location(u.getHost(), u.getPath() == null ? "" : u.getPath());
        }
        if (uri.startsWith("file:")) {
            String path = uri.substring("file:".length());
            if (path.startsWith("//")) {
                URI u = parse(setting, uri);
                if (u.getAuthority() != null && !u.getAuthority().equalsIgnoreCase("localhost")) {
                    // file://host/path names a folder on another machine, which Eider cannot reach: refused, not
                    // taken for the local /path (a trial's file://host/tmp/x wrote to /tmp/x).
                    throw new ConfigException(setting + ": '" + uri + "' names a host (" + u.getAuthority()
                            + "); a folder target is local: file:/path, file:///path or file:relative/path");
                }
                path = u.getPath();
            }
            if (path.isBlank()) {
                throw new ConfigException(
                        setting + ": '" + uri + "' names no folder; expected file:/path or file:relative/path");
            }
            return new FolderLocation(Path.of(path));
        }
        throw new ConfigException(setting + ": '" + uri + "' is neither s3://bucket/prefix nor file:/path");
    }

    private static URI parse(String setting, String uri) {
        try {
            return URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    setting + ": '" + uri + "' is not a valid URI; expected s3://bucket/prefix or file:/path");
        }
    }
}
