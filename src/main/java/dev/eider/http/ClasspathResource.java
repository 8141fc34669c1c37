package dev.eider.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files packaged in the jar: the OpenAPI document, the status and docs pages. */
public final class ClasspathResource {

    private ClasspathResource() {}

    /** The bytes of a resource that must be there; a missing one means a broken build. */
    public static byte[] read(String name) {
        try (InputStream in = ClasspathResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
