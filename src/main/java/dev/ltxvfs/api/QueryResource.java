package dev.ltxvfs.api;

import dev.ltxvfs.sql.Cursor;
import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.sql.QueryRequest;
import dev.ltxvfs.sql.QueryResult;
import dev.ltxvfs.sql.QueryRunner;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Read queries over HTTP. The event loop never runs SQLite: the query runs on the bounded worker
 * pool and the answer is written when it completes; NDJSON streams rows in batches fetched on
 * workers as the client reads them (back-pressure), so a huge answer never sits in memory.
 */
@Path("/v1/databases/{db}/query")
@Consumes(MediaType.APPLICATION_JSON)
public class QueryResource {
    static final int STREAM_BATCH = 256;

    private final QueryRunner runner;
    private final Metrics metrics;

    QueryResource(QueryRunner runner, Metrics metrics) {
        this.runner = runner;
        this.metrics = metrics;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<QueryResult> query(@RestPath String db, QueryBody body) {
        QueryRequest req = request(db, body);
        long t0 = System.nanoTime();
        return Uni.createFrom().completionStage(() -> runner.query(req))
                .onItemOrFailure().invoke((r, e) -> metrics.query(db, t0, e, r == null ? 0 : r.rows().size()));
    }

    @POST
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Object> stream(@RestPath String db, QueryBody body) {
        QueryRequest req = request(db, body);
        long t0 = System.nanoTime();
        long[] count = {0};
        return Uni.createFrom().completionStage(() -> runner.open(req))
                .onItem().transformToMulti(cursor -> {
                    Multi<Object> header = Multi.createFrom().item(header(cursor));
                    Multi<Object> rows = Multi.createBy().repeating()
                            .completionStage(() -> runner.onWorker(() -> cursor.fetch(STREAM_BATCH)))
                            .until(List::isEmpty)
                            .onItem().transformToIterable(batch -> {
                                count[0] += batch.size();
                                return batch;
                            })
                            .map(QueryResource::jsonRow);
                    return Multi.createBy().concatenating().streams(header, rows)
                            .onTermination().invoke((e, cancelled) -> close(cursor));
                })
                .onTermination().invoke((e, cancelled) -> metrics.query(db, t0, e, count[0]));
    }

    private void close(Cursor cursor) {
        runner.onWorker(() -> {
            cursor.close();
            return null;
        }).exceptionally(e -> {
            cursor.close(); // the pool refused: close here, it does no I/O
            return null;
        });
    }

    private static Map<String, Object> header(Cursor c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("columns", c.columns());
        m.put("types", c.types());
        m.put("txid", c.txid());
        m.put("time", c.time());
        return m;
    }

    /** Blobs as base64 like the JSON answer (Jackson does that for byte[] already). */
    private static Object jsonRow(Object[] row) {
        return row;
    }

    private QueryRequest request(String db, QueryBody body) {
        if (body == null || body.sql() == null || body.sql().isBlank()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the request needs a JSON body with \"sql\"");
        }
        return new QueryRequest(db, body.sql(), decodeBlobs(body.params()), body.at(), body.maxRows());
    }

    /** {@code {"base64": "..."}} parameters become blobs. */
    static Object decodeBlobs(Object params) {
        if (params instanceof List<?> l) {
            return l.stream().map(QueryResource::blob).toList();
        }
        if (params instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, blob(v)));
            return out;
        }
        return params;
    }

    private static Object blob(Object v) {
        if (v instanceof Map<?, ?> m && m.size() == 1 && m.get("base64") instanceof String s) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new QueryException(QueryException.Kind.BAD_REQUEST, "a blob parameter is not valid base64");
            }
        }
        return v;
    }
}
