package dev.eider.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON mapper for request bodies and answers, with limits on nesting and value size. */
public final class Json {

    private Json() {}

    public static ObjectMapper mapper(int maxDepth, long maxValueBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        // Characters, not bytes; RecordReader checks bytes exactly.
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxValueBytes))
                        .build())
                // 0.0000000001, not 1E-10: as sent, and as a client comparing text expects.
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                // An emoji as its 4 bytes of UTF-8, not as two 6-byte escapes (a new-user trial saw pages 3x larger).
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
