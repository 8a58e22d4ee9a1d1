package dev.ltxvfs.api;

import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.sql.QueryRequest;
import dev.ltxvfs.sql.QueryResult;
import dev.ltxvfs.sql.QueryRunner;
import dev.ltxvfs.sql.Rows;
import dev.ltxvfs.sql.Session;
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
import org.jboss.resteasy.reactive.RestMulti;
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
        // The status waits for the first batch: a statement that fails at once answers its own status.
        Uni<Opened> opened = Uni.createFrom().completionStage(() -> runner.open(db, req.at(), false, null))
                .onItem().transformToUni(session -> Uni.createFrom().completionStage(() -> session.run(s -> {
                    Rows rows = s.execute(req.sql(), QueryRunner.positional(req.params()), QueryRunner.named(req.params()));
                    return new Opened(session, rows, rows.fetch(STREAM_BATCH), s.txid(), s.time());
                })).onFailure().invoke(e -> close(session)))
                .onFailure().invoke(e -> metrics.query(db, t0, e, 0));
        return RestMulti.fromUniResponse(opened, o -> {
            Multi<List<Object[]>> later = o.first.isEmpty() ? Multi.createFrom().empty() : Multi.createBy().repeating()
                    .completionStage(() -> o.session.run(s -> o.rows.fetch(STREAM_BATCH)))
                    .until(List::isEmpty);
            Multi<Object> rows = Multi.createBy().concatenating().streams(Multi.createFrom().item(o.first), later)
                    .onItem().<Object>transformToIterable(batch -> {
                        count[0] += batch.size();
                        return List.<Object>copyOf(batch);
                    });
            // Status 200 is sent: a later failure ends the stream with an error line.
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(o.header), rows)
                    .onFailure(QueryException.class).recoverWithItem(e -> ApiError.of(
                            ErrorMapper.code(((QueryException) e).kind()), e.getMessage()))
                    .onTermination().invoke((e, cancelled) -> {
                        close(o.session);
                        metrics.query(db, t0, e, count[0]);
                    });
        });
    }

    /** A started NDJSON answer: its session, rows and first batch, and the snapshot they come from. */
    private static final class Opened {
        final Session session;
        final Rows rows;
        final List<Object[]> first;
        final Map<String, Object> header = new LinkedHashMap<>();

        Opened(Session session, Rows rows, List<Object[]> first, String txid, String time) {
            this.session = session;
            this.rows = rows;
            this.first = first;
            header.put("columns", rows.columns());
            header.put("types", QueryRunner.types(rows));
            header.put("txid", txid);
            header.put("time", time);
        }
    }

    /** Closes on a worker, after any batch still running there; it does no I/O, so here when refused. */
    private static void close(Session session) {
        session.run(s -> {
            s.close();
            return null;
        }).exceptionally(e -> {
            session.close();
            return null;
        });
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
