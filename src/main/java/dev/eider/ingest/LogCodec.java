package dev.eider.ingest;

import dev.eider.store.Mutation;
import dev.eider.store.RecordStore;
import dev.eider.store.WriteBatch;
import dev.eider.table.Catalog;
import dev.eider.table.Column;
import dev.eider.table.EpochMicros;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of sequenced write requests in the write-ahead log. Each request names its
 * table and columns, so a log written before a nullable column was added still replays. Each entry
 * starts with its format, so a later Eider can recognise an older log.
 */
final class LogCodec {

    /**
     * The first byte of every entry since format 2. Format 1 entries began with their highest
     * sequence as a long, whose first byte is 0 below 2^56, so the two cannot be confused.
     */
    private static final byte FORMAT = 2;

    private static final byte LEGACY_FORMAT = 0;
    private static final byte ROWS = 0;
    private static final byte STAGED = 1;
    private static final byte FILES = 2;
    private static final byte UPSERT = 0;
    private static final byte DELETE = 1;

    private final Catalog catalog;
    private final RecordStore store;

    LogCodec(Catalog catalog, RecordStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /**
     * Encodes one request's rows on their own, so that a request that cannot be encoded fails alone
     * instead of failing the log entry it would have shared. The buffer wraps the encoder's own
     * array: the log writes it as it is, without a copy.
     */
    ByteBuffer encodePart(WriteBatch.Part part) {
        Output bytes = new Output(64 + 64 * (int) Math.min(part.size(), 1 << 16));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (part instanceof WriteBatch.Rows rows) {
                out.writeByte(ROWS);
                encodeRows(out, rows.mutations());
            } else if (part instanceof WriteBatch.Staged staged) {
                out.writeByte(STAGED);
                out.writeUTF(staged.rows().table().name());
                out.writeUTF(staged.rows().name());
                out.writeLong(staged.rows().size());
            } else if (part instanceof WriteBatch.Files files) {
                out.writeByte(FILES);
                encodeFiles(out, files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a log entry", e);
        }
        return bytes.view();
    }

    /**
     * One log entry as buffers to write in order: a header, then each encoded request after its
     * first sequence; {@code last} is the entry's highest sequence.
     */
    static ByteBuffer[] entry(List<Long> firstSequences, List<ByteBuffer> encodedParts, long last) {
        ByteBuffer[] buffers = new ByteBuffer[1 + 2 * encodedParts.size()];
        buffers[0] = ByteBuffer.allocate(13)
                .put(FORMAT)
                .putLong(last)
                .putInt(encodedParts.size())
                .flip();
        for (int i = 0; i < encodedParts.size(); i++) {
            buffers[1 + 2 * i] =
                    ByteBuffer.allocate(8).putLong(firstSequences.get(i)).flip();
            buffers[2 + 2 * i] = encodedParts.get(i).duplicate();
        }
        return buffers;
    }

    /** Encodes requests as one entry (what the log writer does, for tests and tools). */
    byte[] encode(List<WriteBatch.Sequenced> parts) {
        List<Long> firsts = new ArrayList<>(parts.size());
        List<ByteBuffer> encoded = new ArrayList<>(parts.size());
        for (WriteBatch.Sequenced s : parts) {
            firsts.add(s.firstSequence());
            encoded.add(encodePart(s.part()));
        }
        ByteBuffer[] buffers = entry(firsts, encoded, new WriteBatch(parts).lastSequence());
        ByteBuffer all = ByteBuffer.allocate(
                Arrays.stream(buffers).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer b : buffers) {
            all.put(b);
        }
        return all.array();
    }

    /** A byte array stream whose content can be wrapped instead of copied. */
    private static final class Output extends ByteArrayOutputStream {
        Output(int size) {
            super(size);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private static void encodeRows(DataOutputStream out, List<Mutation> mutations) throws IOException {
        TableDef t = mutations.get(0).table();
        out.writeUTF(t.name());
        out.writeShort(t.columns().size());
        for (Column c : t.columns()) {
            out.writeUTF(c.name());
        }
        out.writeInt(mutations.size());
        for (Mutation m : mutations) {
            if (m.isDelete()) {
                out.writeByte(DELETE);
                writeValue(out, t.key(), m.key());
            } else {
                out.writeByte(UPSERT);
                for (int i = 0; i < t.columns().size(); i++) {
                    writeValue(out, t.columns().get(i), m.values()[i]);
                }
            }
        }
    }

    /** The requests of a log entry that are not yet applied (sequences after {@code applied}). */
    List<WriteBatch.Sequenced> decode(byte[] payload, long applied) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte format = payload.length == 0 ? -1 : payload[0];
        if (format == FORMAT) {
            in.readByte();
        } else if (format != LEGACY_FORMAT) {
            throw new IOException("the write-ahead log holds an entry of unknown format " + format
                    + " (this Eider reads formats 1 and 2); run the Eider version that wrote it until its"
                    + " log is applied, then upgrade");
        }
        if (in.readLong() <= applied) {
            return List.of(); // the whole entry is applied: no need to decode its rows
        }
        int n = in.readInt();
        List<WriteBatch.Sequenced> parts = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            long first = in.readLong();
            byte kind = in.readByte();
            if (kind == ROWS) {
                List<Mutation> rows = decodeRows(in);
                if (first > applied) {
                    parts.add(new WriteBatch.Sequenced(new WriteBatch.Rows(rows), first));
                }
            } else if (kind == STAGED) {
                String table = in.readUTF();
                String name = in.readUTF();
                long size = in.readLong();
                if (first > applied) {
                    // Merged and dropped in one transaction, so an unapplied stage is still there.
                    parts.add(new WriteBatch.Sequenced(
                            new WriteBatch.Staged(store.findStaged(table(table), name, size)), first));
                }
            } else if (kind == FILES) {
                WriteBatch.Files files = decodeFiles(in);
                if (first > applied) {
                    parts.add(new WriteBatch.Sequenced(files, first));
                }
            } else {
                throw new IOException("unknown log entry kind " + kind);
            }
        }
        return parts;
    }

    private static void encodeFiles(DataOutputStream out, WriteBatch.Files files) throws IOException {
        TableDef t = files.table();
        out.writeUTF(t.name());
        writeValue(out, t.key(), files.key());
        out.writeBoolean(files.upsert() != null);
        if (files.upsert() != null) {
            encodeRows(out, List.of(files.upsert()));
        }
        out.writeInt(files.changes().size());
        for (WriteBatch.FileChange change : files.changes()) {
            out.writeUTF(change.column());
            writeFileRef(out, change.ref());
        }
    }

    private WriteBatch.Files decodeFiles(DataInputStream in) throws IOException {
        TableDef t = table(in.readUTF());
        Object key = readValue(in, t.key());
        Mutation upsert = in.readBoolean() ? decodeRows(in).get(0) : null;
        int n = in.readInt();
        List<WriteBatch.FileChange> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(new WriteBatch.FileChange(in.readUTF(), readFileRef(in)));
        }
        return new WriteBatch.Files(t, key, upsert, changes);
    }

    private static void writeFileRef(DataOutputStream out, FileRef ref) throws IOException {
        out.writeBoolean(ref != null);
        if (ref != null) {
            writeString(out, ref.key());
            out.writeLong(ref.size());
            writeString(out, ref.sha256());
            writeString(out, ref.contentType());
            out.writeLong(EpochMicros.of(ref.uploadedAt()));
        }
    }

    private static FileRef readFileRef(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new FileRef(
                readString(in), in.readLong(), readString(in), readString(in), EpochMicros.toInstant(in.readLong()));
    }

    private List<Mutation> decodeRows(DataInputStream in) throws IOException {
        TableDef t = table(in.readUTF());
        int ncols = in.readUnsignedShort();
        int[] target = new int[ncols];
        for (int i = 0; i < ncols; i++) {
            String name = in.readUTF();
            target[i] = t.indexOf(name);
            if (target[i] < 0) {
                throw new IllegalStateException("the write-ahead log holds column '" + name + "' of table '" + t.name()
                        + "', which is no longer declared; " + "declare it again until the log has been applied");
            }
        }
        int count = in.readInt();
        List<Mutation> mutations = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            if (in.readByte() == DELETE) {
                mutations.add(Mutation.delete(t, readValue(in, t.key())));
            } else {
                Object[] values = new Object[t.columns().size()];
                for (int i = 0; i < ncols; i++) {
                    values[target[i]] = readValue(in, t.columns().get(target[i]));
                }
                mutations.add(Mutation.upsert(t, values));
            }
        }
        return mutations;
    }

    private TableDef table(String name) {
        return catalog.find(name)
                .orElseThrow(() -> new IllegalStateException("the write-ahead log holds writes to table '" + name
                        + "', which is no longer declared; " + "declare it again until the log has been applied"));
    }

    private static void writeValue(DataOutputStream out, Column c, Object v) throws IOException {
        if (v == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        switch (c.type().kind()) {
            case STRING, JSON -> writeString(out, (String) v);
            case INT64 -> out.writeLong((Long) v);
            case FLOAT64 -> out.writeDouble((Double) v);
            case BOOLEAN -> out.writeBoolean((Boolean) v);
            case TIMESTAMP -> out.writeLong(EpochMicros.of((Instant) v));
            case DATE -> out.writeLong(((LocalDate) v).toEpochDay());
            case DECIMAL -> writeString(out, ((BigDecimal) v).toPlainString());
            case FILE -> writeFileRef(out, (FileRef) v);
        }
    }

    private static Object readValue(DataInputStream in, Column c) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return switch (c.type().kind()) {
            case STRING, JSON -> readString(in);
            case INT64 -> in.readLong();
            case FLOAT64 -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case TIMESTAMP -> EpochMicros.toInstant(in.readLong());
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case DECIMAL -> new BigDecimal(readString(in));
            case FILE -> readFileRef(in);
        };
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
