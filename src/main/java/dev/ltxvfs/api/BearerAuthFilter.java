package dev.ltxvfs.api;

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
 * API request needs one (401), and a token limited to some databases gets 403 for the others.
 * Health and metrics endpoints are not REST resources and stay open for probes and scrapers.
 */
public class BearerAuthFilter {
    private final LtxvfsConfig config;

    BearerAuthFilter(LtxvfsConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext ctx) {
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
        String db = database(path);
        Optional<List<String>> allowed = match.databases();
        if (db != null && allowed.isPresent() && !allowed.get().contains(db)) {
            return Optional.of(error(path, 403, "forbidden", "this token may not read database '" + db + "'"));
        }
        return Optional.empty();
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
