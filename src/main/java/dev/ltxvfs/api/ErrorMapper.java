package dev.ltxvfs.api;

import dev.ltxvfs.sql.QueryException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure becomes clear JSON with the status a client can act on; nothing leaks a stack. */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    static int status(QueryException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST, READ_ONLY, SQL_ERROR -> 400;
            case UNKNOWN_DATABASE -> 404;
            case POINT_IN_TIME_UNAVAILABLE, TOO_BIG -> 422;
            case OVERLOADED, STORAGE_UNAVAILABLE, NOT_READY -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    /** The error code clients see: the kind in lower case ({@code too_big}). */
    static String code(QueryException.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static Response response(QueryException e) {
        int status = status(e.kind());
        if (status >= 500 && e.kind() != QueryException.Kind.OVERLOADED) {
            LOG.warnf("query failed (%s): %s", e.kind(), e.getMessage());
        }
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(code(e.kind()), e.getMessage()));
        if (status == 503) {
            b.header("Retry-After", "1");
        }
        return b.build();
    }

    @ServerExceptionMapper
    public Response query(QueryException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = status == 400 ? "the request body is not valid JSON for this endpoint: " + rootMessage(e)
                : e.getMessage();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(status == 400 ? "bad_request" : "http_" + status, message)).build();
    }

    /** A body Jackson cannot read (not JSON, or not the shape of the request): 400, not an empty answer. */
    @ServerExceptionMapper
    public Response json(com.fasterxml.jackson.core.JacksonException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of("bad_request", "the request body is not valid JSON for this endpoint: "
                        + e.getOriginalMessage())).build();
    }

    /** Valid JSON of the wrong shape ({@code [1,2]}); Quarkus' own mapper would answer an empty 400. */
    @ServerExceptionMapper
    public Response shape(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of("internal", "internal error: " + e.getClass().getSimpleName())).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
