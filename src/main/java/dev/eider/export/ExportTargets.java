package dev.eider.export;

import dev.eider.config.ConfigException;
import dev.eider.config.S3Config;
import java.net.URI;
import java.nio.file.Path;

/** Opens the target an {@code export.target} URI names: {@code s3://bucket/prefix} or {@code file:/path}. */
public final class ExportTargets {

    private ExportTargets() {}

    public static ExportTarget open(String uri, S3Config s3) {
        return open("export.target", uri, s3);
    }

    /**
     * @param setting the setting or flag that gave {@code uri}, named in errors
     */
    public static ExportTarget open(String setting, String uri, S3Config s3) {
        if (uri.startsWith("s3://")) {
            URI u = parse(setting, uri);
            if (u.getHost() == null || u.getHost().isBlank()) {
                throw new ConfigException(setting + ": '" + uri + "' names no bucket; expected s3://bucket/prefix");
            }
            String prefix = u.getPath() == null ? "" : u.getPath();
            return new S3Target(
                    S3Target.client(s3),
                    s3.endpoint(),
                    u.getHost(),
                    prefix,
                    s3.multipartThreshold().bytes(),
                    s3.partSize().bytes());
        }
        if (uri.startsWith("file:")) {
            String path = uri.substring("file:".length());
            if (path.startsWith("//")) {
                path = parse(setting, uri).getPath();
            }
            if (path.isBlank()) {
                throw new ConfigException(
                        setting + ": '" + uri + "' names no folder; expected file:/path or file:relative/path");
            }
            return new FolderTarget(Path.of(path));
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
