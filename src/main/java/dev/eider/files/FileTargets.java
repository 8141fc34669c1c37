package dev.eider.files;

import dev.eider.config.FilesConfig;
import dev.eider.export.ExportTargets;
import dev.eider.export.PauseHook;
import dev.eider.export.S3Target;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Opens the place {@code files.target} names: {@code s3://bucket/prefix} or {@code file:/path}. */
public final class FileTargets {

    private FileTargets() {}

    public static FileObjects open(FilesConfig config) {
        return open(config, PauseHook.NONE);
    }

    public static FileObjects open(FilesConfig config, PauseHook hook) {
        ExportTargets.Location at = ExportTargets.locate("files.target", config.target());
        if (at instanceof ExportTargets.S3Location bucket) {
            S3Client client = pausing(S3Target.client(config.s3()), hook);
            S3Target target = ExportTargets.s3(
                    bucket,
                    client,
                    config.s3(),
                    config.multipartThreshold().bytes(),
                    config.partSize().bytes());
            return new S3FileObjects(client, presigner(config), bucket.bucket(), bucket.prefix(), target);
        }
        return new FolderFileObjects(((ExportTargets.FolderLocation) at).folder());
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
    private static S3Client pausing(S3Client client, PauseHook hook) {
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
