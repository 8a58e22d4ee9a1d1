package dev.ltxvfs.api.hrana;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.api.Databases;
import dev.ltxvfs.api.Metrics;
import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.sql.QueryRunner;
import dev.ltxvfs.sql.Session;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * libSQL compatibility: the Hrana-over-HTTP endpoints {@code @libsql/client} uses. The client URL
 * is {@code http://host:port/libsql/<db>/}; the trailing slash matters, because the client resolves
 * {@code v2/pipeline} relative to it. Answers carry {@code content-type: application/json} exactly:
 * the client compares it with === before it reads an error body.
 */
@Path("/libsql")
@Tag(name = "libSQL", description = "Hrana over HTTP for @libsql/client (read-only)")
public class HranaResource {
    static final String JSON_TYPE = "application/json";

    private final Databases databases;
    private final QueryRunner runner;
    private final Streams streams;
    private final Metrics metrics;
    private final ObjectMapper mapper;

    HranaResource(Databases databases, QueryRunner runner, Streams streams, Metrics metrics, ObjectMapper mapper) {
        this.databases = databases;
        this.runner = runner;
        this.streams = streams;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    @GET
    @Path("/{db}/v2")
    @Operation(summary = "Hrana version probe: version 2 (JSON) is spoken")
    public Uni<Response> version(@RestPath String db) {
        // A catalog's database opens here (storage round trips): on a worker, never the event loop.
        return Uni.createFrom().item(() -> databases.open(db)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transform(s -> json(200, "{}".getBytes()))
                .onFailure().recoverWithItem(this::failure);
    }

    @POST
    @Path("/{db}/v2/pipeline")
    @Operation(summary = "Run a Hrana pipeline (execute, batch, store_sql, close...) against a database")
    public Uni<Response> pipeline(@RestPath String db, byte[] body) {
        return run(db, body);
    }

    @POST
    @Path("/{db}/v3/pipeline")
    @Operation(summary = "The same pipeline, for clients that speak version 3 over JSON")
    public Uni<Response> pipelineV3(@RestPath String db, byte[] body) {
        return run(db, body);
    }

    @POST
    @Path("/v2/pipeline")
    @Operation(summary = "What a client URL without the database or trailing slash reaches: an explanation")
    public Response missingDatabase() {
        return error(404, "DATABASE_NOT_FOUND", "no database in the URL: the client URL must end with "
                + "'/libsql/<db>/' (with the trailing slash), e.g. http://localhost:8080/libsql/demo/");
    }

    private Uni<Response> run(String db, byte[] body) {
        Pipeline pipeline;
        try {
            pipeline = Pipeline.parse(mapper.readTree(body == null ? new byte[0] : body));
        } catch (JacksonException e) {
            return Uni.createFrom().item(error(400, "HRANA_PROTO_ERROR", "the body is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            return Uni.createFrom().item(error(400, "HRANA_PROTO_ERROR", "cannot read the body: " + e.getMessage()));
        } catch (HranaException e) {
            return Uni.createFrom().item(error(400, e.code(), e.getMessage()));
        }
        Stream stream;
        try {
            stream = streams.claim(db, pipeline.baton());
        } catch (HranaException e) {
            return Uni.createFrom().item(error(e.status(), e.code(), e.getMessage()));
        }
        long t0 = System.nanoTime();
        return Uni.createFrom().completionStage(() -> execute(db, stream, pipeline))
                .onItemOrFailure().invoke((r, e) -> metrics.query(db, t0, e, pipeline.rows()))
                .onItem().transform(this::ok)
                .onFailure().recoverWithItem(t -> {
                    streams.end(stream);
                    return failure(t);
                });
    }

    /** Runs the pipeline on the stream's session: kept from its open transaction, or opened for it. */
    private CompletableFuture<ObjectNode> execute(String db, Stream stream, Pipeline pipeline) {
        if (stream.session == null && stream.txid == null && !pipeline.needsSession()) {
            // No statement still names a database that must exist (a catalog's opens with storage
            // round trips: on a worker, never the event loop).
            return CompletableFuture.supplyAsync(() -> {
                databases.open(db);
                return finish(stream, pipeline, pipeline.run(null, stream));
            }, Infrastructure.getDefaultWorkerPool());
        }
        CompletableFuture<Session> session = stream.session != null ? CompletableFuture.completedFuture(stream.session)
                : runner.open(db, null, true, stream.txid).thenApply(s -> stream.session = s);
        return session.thenCompose(s -> s.run(x -> {
            ObjectNode answer = pipeline.run(x, stream);
            stream.txid = x.transactionTxid();
            return answer;
        })).thenApply(answer -> finish(stream, pipeline, answer));
    }

    /** Closes the stream, or hands out its next baton; between transactions it lets its connection go. */
    private ObjectNode finish(Stream stream, Pipeline pipeline, ObjectNode answer) {
        if (pipeline.closes()) {
            streams.end(stream);
        } else {
            if (stream.txid == null && stream.session != null) {
                stream.session.close();
                stream.session = null;
            }
            answer.put("baton", streams.release(stream));
        }
        return answer;
    }

    private Response ok(JsonNode answer) {
        try {
            return json(200, mapper.writeValueAsBytes(answer));
        } catch (JacksonException e) {
            return error(500, "INTERNAL", "cannot write the answer: " + e.getOriginalMessage());
        }
    }

    /** A failure of the whole request (overloaded, timed out): the stream is dead, say why. */
    private Response failure(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof QueryException q) {
            return switch (q.kind()) {
                case OVERLOADED -> error(503, "OVERLOADED", q.getMessage());
                case TIMEOUT -> error(504, "SQLITE_INTERRUPT", q.getMessage());
                case UNKNOWN_DATABASE -> error(404, "DATABASE_NOT_FOUND", q.getMessage());
                case STORAGE_UNAVAILABLE, NOT_READY -> error(503, q.kind().name(), q.getMessage());
                default -> error(400, HranaException.of(q).code(), q.getMessage());
            };
        }
        return error(500, "INTERNAL", "internal error: " + c.getClass().getSimpleName());
    }

    public static Response error(int status, String code, String message) {
        byte[] body = HranaException.json(code, message).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Response r = json(status, body);
        if (status == 503) {
            return Response.fromResponse(r).header("Retry-After", "1").build();
        }
        return r;
    }

    private static Response json(int status, byte[] body) {
        return Response.status(status).entity(body).header("Content-Type", JSON_TYPE).build();
    }
}
