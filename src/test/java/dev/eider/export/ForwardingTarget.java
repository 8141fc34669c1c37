package dev.eider.export;

import java.nio.file.Path;
import java.util.Optional;

/** A target that passes every call to another; a test overrides the calls it changes. */
abstract class ForwardingTarget implements ExportTarget {

    private final ExportTarget target;

    ForwardingTarget(ExportTarget target) {
        this.target = target;
    }

    @Override
    public long partSize() {
        return target.partSize();
    }

    @Override
    public int maxParts() {
        return target.maxParts();
    }

    @Override
    public void abortUnfinished(String prefix) {
        target.abortUnfinished(prefix);
    }

    @Override
    public PartUpload startParts(String key) {
        return target.startParts(key);
    }

    @Override
    public Outcome create(String key, Path file, String sha256) {
        return target.create(key, file, sha256);
    }

    @Override
    public Outcome create(String key, byte[] content, String sha256) {
        return target.create(key, content, sha256);
    }

    @Override
    public void put(String key, Path file, String sha256) {
        target.put(key, file, sha256);
    }

    @Override
    public void put(String key, byte[] content, String sha256) {
        target.put(key, content, sha256);
    }

    @Override
    public Optional<byte[]> read(String key) {
        return target.read(key);
    }

    @Override
    public void download(String key, Path to) {
        target.download(key, to);
    }

    @Override
    public void delete(String key) {
        target.delete(key);
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public void close() {
        target.close();
    }
}
