package dev.eider.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** Reads tables and records back through the HTTP API, for assertions. */
public final class Tables {

    private Tables() {}

    /** The live rows of {@code table}, as {@code GET /v1/tables/{table}} counts them. */
    public static long rowCount(Http http, String table) {
        HttpResponse<String> r = http.get("/v1/tables/" + table);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body()).path("row_count").asLong();
    }

    /** The record with key {@code id}, which must exist. */
    public static JsonNode record(Http http, String table, Object id) {
        HttpResponse<String> r = http.get("/v1/tables/" + table + "/records/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body());
    }

    /** Asserts a 200 answer and returns its JSON body. */
    public static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body());
    }

    /** NDJSON of {@code {"id": i, "value": "<prefix>i"}} for ids {@code from} to {@code to} (exclusive). */
    public static String ndjson(int from, int to, String prefix) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("{\"id\":")
                    .append(i)
                    .append(",\"value\":\"")
                    .append(prefix)
                    .append(i)
                    .append("\"}\n");
        }
        return b.toString();
    }
}
