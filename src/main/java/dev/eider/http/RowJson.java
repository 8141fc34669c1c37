package dev.eider.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eider.store.StoredRow;
import dev.eider.table.Column;
import dev.eider.table.FileRef;
import dev.eider.table.TableDef;
import java.io.IOException;
import java.math.BigDecimal;

/** Writes stored rows as JSON objects in the shape they were posted. */
final class RowJson {

    private RowJson() {}

    static void write(JsonGenerator g, TableDef table, StoredRow row) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < table.columns().size(); i++) {
            Column c = table.columns().get(i);
            Object v = row.values()[i];
            g.writeFieldName(c.name());
            if (v == null) {
                g.writeNull();
                continue;
            }
            switch (c.type().kind()) {
                case STRING -> g.writeString((String) v);
                case INT64 -> g.writeNumber((Long) v);
                case FLOAT64 -> g.writeNumber((Double) v);
                case BOOLEAN -> g.writeBoolean((Boolean) v);
                case DECIMAL -> g.writeNumber((BigDecimal) v);
                case JSON -> g.writeRawValue((String) v);
                case TIMESTAMP, DATE -> g.writeString(v.toString());
                case FILE -> writeFile(g, (FileRef) v);
            }
        }
        g.writeEndObject();
    }

    /** A file column's reference: {@code {"key", "size", "sha256", "content_type", "uploaded_at"}}. */
    static void writeFile(JsonGenerator g, FileRef ref) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", ref.key());
        g.writeNumberField("size", ref.size());
        g.writeStringField("sha256", ref.sha256());
        g.writeStringField("content_type", ref.contentType());
        g.writeStringField("uploaded_at", ref.uploadedAt().toString());
        g.writeEndObject();
    }
}
