package dev.ltxvfs.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import dev.ltxvfs.sql.QueryException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Optional bearer tokens ({@code ltxvfs.auth.tokens.<name>.secret}): with any configured, every
 * API request needs one (401), and a token limited to some databases gets 403 for the others. A
 * catalog's name in a token's list means every database of that catalog (and its listing); which
 * catalog serves a name is known once the database is open, so that check may open it.
 * Health and metrics endpoints are not REST resources and stay open for probes and scrapers.
 */
public class BearerAuthFilter {
    private final LtxvfsConfig config;
    private final Databases databases;

    BearerAuthFilter(LtxvfsConfig config, Databases databases) {
        this.config = config;
        this.databases = databases;
    }

    @ServerRequestFilter
    public Uni<Response> check(ContainerRequestContext ctx) {
        Optional<Response> now = checkNow(ctx);
        return now == null ? catalogCheck(ctx) : Uni.createFrom().item(now.orElse(null));
    }

    /** The answer when it needs no storage (empty: go on), or null when the database's catalog decides. */
    private Optional<Response> checkNow(ContainerRequestContext ctx) {
        Map<String, LtxvfsConfig.Auth.Token> tokens = config.auth().tokens();
        String path = ctx.getUriInfo().getPath();
        if (tokens.isEmpty() || !(path.startsWith("/v1/") || path.startsWith("/libsql/"))) {
            return Optional.empty();
        }
        String header = ctx.getHeaderString("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        LtxvfsConfig.Auth.Token match = null;
        if (presented != null) {
            for (LtxvfsConfig.Auth.Token t : tokens.values()) {
                if (MessageDigest.isEqual(t.secret().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
                    match = t;
                }
            }
        }
        if (match == null) {
            return Optional.of(error(path, 401, "unauthorized", presented == null
                    ? "this server needs an Authorization: Bearer <token> header" : "the bearer token is not valid"));
        }
        Optional<List<String>> allowed = match.databases();
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        String catalog = catalog(path);
        if (catalog != null && !allowed.get().contains(catalog)) {
            return Optional.of(error(path, 403, "forbidden", "this token may not list catalog '" + catalog + "'"));
        }
        String db = database(path);
        if (db == null || allowed.get().contains(db)) {
            return Optional.empty();
        }
        if (config.databases().containsKey(db) || allowed.get().stream().noneMatch(databases::isCatalog)) {
            return Optional.of(forbidden(path, db));
        }
        ctx.setProperty(ALLOWED, allowed.get());
        return null;
    }

    private static final String ALLOWED = "ltxvfs.token-databases";

    /** A token that lists catalogs: allowed when {@code db} is found in one of them (opening it, on a worker). */
    private Uni<Response> catalogCheck(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        String db = database(path);
        @SuppressWarnings("unchecked")
        List<String> allowed = (List<String>) ctx.getProperty(ALLOWED);
        return Uni.createFrom().item(() -> {
            try {
                String c = databases.catalogOf(db);
                return c != null && allowed.contains(c) ? null : forbidden(path, db);
            } catch (QueryException e) {
                // Storage down: the resource answers 503 itself. A name that is not served reads as forbidden.
                return e.kind() == QueryException.Kind.STORAGE_UNAVAILABLE ? null : forbidden(path, db);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response forbidden(String path, String db) {
        return error(path, 403, "forbidden", "this token may not read database '" + db + "'");
    }

    /** The catalog a path names: /v1/catalogs/{catalog} */
    static String catalog(String path) {
        String[] parts = path.split("/");
        return path.startsWith("/v1/catalogs/") && parts.length > 3 ? parts[3] : null;
    }

    /** The database a path names: /v1/databases/{db}/... or /libsql/{db}/... */
    static String database(String path) {
        String[] parts = path.split("/");
        if (path.startsWith("/v1/databases/") && parts.length > 3) {
            return parts[3];
        }
        if (path.startsWith("/libsql/") && parts.length > 2) {
            return parts[2];
        }
        return null;
    }

    private static Response error(String path, int status, String code, String message) {
        if (path.startsWith("/libsql/")) {
            // The libSQL client reads {"message", "code"} and needs the exact content type.
            return dev.ltxvfs.api.hrana.HranaResource.error(status, code.toUpperCase(java.util.Locale.ROOT), message);
        }
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message));
        if (status == 401) {
            b.header("WWW-Authenticate", "Bearer");
        }
        return b.build();
    }
}
