package dev.eider.files;

import dev.eider.config.ConfigException;
import dev.eider.config.FilesConfig;
import dev.eider.export.S3Target;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Opens the place {@code files.target} names: {@code s3://bucket/prefix} or {@code file:/path}. */
public final class FileTargets {

    private FileTargets() {}

    public static FileObjects open(FilesConfig config) {
        return open(config, FilePauseHook.NONE);
    }

    public static FileObjects open(FilesConfig config, FilePauseHook hook) {
        String uri = config.target();
        if (uri.startsWith("s3://")) {
            URI u = URI.create(uri);
            if (u.getHost() == null || u.getHost().isBlank()) {
                throw new ConfigException("files.target: '" + uri + "' names no bucket; expected s3://bucket/prefix");
            }
            String prefix = u.getPath() == null ? "" : u.getPath();
            S3Client client = pausing(S3Target.client(config.s3()), hook);
            S3Target target = new S3Target(
                    client,
                    u.getHost(),
                    prefix,
                    config.multipartThreshold().bytes(),
                    config.partSize().bytes());
            return new S3FileObjects(client, presigner(config), u.getHost(), prefix, target);
        }
        if (uri.startsWith("file:")) {
            String path = uri.substring("file:".length());
            if (path.startsWith("//")) {
                path = URI.create(uri).getPath();
            }
            if (path.isBlank()) {
                throw new ConfigException("files.target: '" + uri + "' names no folder; expected file:/path");
            }
            return new FolderFileObjects(Path.of(path));
        }
        throw new ConfigException("files.target: '" + uri + "' is neither s3://bucket/prefix nor file:/path");
    }

    private static S3Presigner presigner(FilesConfig config) {
        var b = S3Presigner.builder()
                .region(Region.of(config.s3().region()))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.s3().pathStyle())
                        .build());
        if (config.s3().endpoint() != null) {
            b.endpointOverride(URI.create(config.s3().endpoint()));
        }
        return b.build();
    }

    /**
     * With the test hook at {@code multipart}, a client that stops for good after the first part
     * of a multipart upload; otherwise the client itself.
     */
    private static S3Client pausing(S3Client client, FilePauseHook hook) {
        if (!hook.pausesAt("multipart")) {
            return client;
        }
        InvocationHandler h = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("uploadPart")) {
                hook.at("multipart", "(part uploaded)");
            }
            return result;
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    }
}
