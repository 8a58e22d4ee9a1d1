package dev.ltxvfs.api;

import dev.ltxvfs.index.ReplicaHistory;
import dev.ltxvfs.sql.QueryException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The moments a database can be read at ({@code at} of a query), newest first, a page at a time. */
@Path("/v1/databases/{db}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {
    static final int DEFAULT_LIMIT = 100;

    private final Databases databases;

    HistoryResource(Databases databases) {
        this.databases = databases;
    }

    /**
     * One restorable moment. {@code time} is the transaction's LTX header time: a query with an
     * {@code at} after it (and before the next moment's) reads this state, or {@code resolvesTo}'s
     * when {@code exact} is false.
     */
    public record MomentInfo(String txid, String time, int pageCount, int level, List<Integer> levels, boolean exact,
            String resolvesTo) {}

    /** A page of history: {@code next} is the {@code before} of the next (older) page, null after the last. */
    public record History(String database, List<MomentInfo> moments, MomentInfo oldest, MomentInfo newest, int total,
            String next) {}

    @GET
    @Operation(summary = "Restorable moments of a database, newest first",
            description = "Built from the replica's listings; reads the LTX headers of this page's moments only "
                    + "(cached), so a page costs one LIST (one per 1,000 LTX files) and at most limit+2 small ranged GETs. "
                    + "A moment is exact when a plan reaches its TXID; otherwise a read at its time resolves to "
                    + "an older compaction boundary (resolvesTo). oldest is the retention horizon.")
    @APIResponse(responseCode = "200", description = "A page of moments")
    @APIResponse(responseCode = "400", description = "before or limit is not valid",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such database",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "The replica's storage could not be read",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<History> history(@RestPath String db,
            @Parameter(description = "Only moments with a TXID below this one (16 hex digits, from next)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-fA-F]{1,16}$")) @RestQuery String before,
            @Parameter(description = "Most moments in the page, 1 to " + ReplicaHistory.MAX_LIMIT + " (default "
                    + DEFAULT_LIMIT + ")") @RestQuery Integer limit) {
        long below = parseBefore(before);
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > ReplicaHistory.MAX_LIMIT) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST,
                    "limit must be between 1 and " + ReplicaHistory.MAX_LIMIT + ", got " + n);
        }
        // A catalog's database opens here (storage round trips): on a worker, never the event loop.
        return Uni.createFrom().item(() -> databases.open(db)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(served -> served.db().replica().history().page(below, n))
                .onItem().transform(p -> new History(db, p.moments().stream().map(HistoryResource::info).toList(),
                        info(p.oldest()), info(p.newest()), p.total(), p.next() == null ? null : hex(p.next())))
                .onFailure(IOException.class).transform(e -> new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE,
                        "cannot list the history of '" + db + "': " + e.getMessage(), e));
    }

    static long parseBefore(String before) {
        if (before == null || before.isBlank()) {
            return Long.MAX_VALUE;
        }
        try {
            long txid = Long.parseUnsignedLong(before.trim(), 16);
            if (txid < 1 || before.trim().length() > 16) {
                throw new NumberFormatException();
            }
            return txid;
        } catch (NumberFormatException e) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST,
                    "before must be a TXID of 1 to 16 hex digits (the next of a page), got '" + before + "'");
        }
    }

    private static MomentInfo info(ReplicaHistory.Moment m) {
        if (m == null) {
            return null;
        }
        return new MomentInfo(hex(m.txid()), m.time().toString(), m.pageCount(), m.level(), m.levels(), m.exact(),
                hex(m.resolvesTo()));
    }

    private static String hex(long txid) {
        return String.format("%016x", txid);
    }
}
