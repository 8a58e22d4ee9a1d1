package dev.ltxvfs.api;

import dev.ltxvfs.cache.CacheStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/**
 * What is served and how it is doing. The listing is cheap (published values, never storage) and
 * shows the open databases; asking for one database opens it when it is a catalog's.
 */
@Path("/v1/databases")
@Produces(MediaType.APPLICATION_JSON)
public class DatabasesResource {
    private final Databases databases;

    DatabasesResource(Databases databases) {
        this.databases = databases;
    }

    public record StoreFigures(long lists, long gets, long bytes, long retries, long failures) {}

    public record DatabaseInfo(String name, String replica, String catalog, boolean ready, String txid, String time, long lagSeconds,
            Integer pageSize, Long pageCount, Integer planFiles, List<String> files, String lastError, StoreFigures requests,
            String hydrate, double hydrationProgress) {}

    public record Listing(List<DatabaseInfo> databases, CacheStats cache) {}

    @GET
    public Listing list() {
        return new Listing(databases.all().stream().map(DatabasesResource::info).toList(), databases.cache().stats());
    }

    /** Runs on a worker (a catalog's database may open: storage round trips). */
    @GET
    @Path("/{db}")
    public DatabaseInfo get(@RestPath String db) {
        return info(databases.open(db));
    }

    static DatabaseInfo info(Databases.ServedDatabase s) {
        var replica = s.db().replica();
        var snap = replica.current();
        var st = replica.store().stats();
        Throwable failure = replica.lastFailure();
        return new DatabaseInfo(s.name(), s.location(), s.catalog(), snap != null,
                snap == null ? null : String.format("%016x", snap.txid()),
                snap == null ? null : snap.timestamp().toString(),
                replica.lagSeconds(),
                snap == null ? null : snap.pageSize(),
                snap == null ? null : (long) snap.commit(),
                snap == null ? null : snap.files().size(),
                snap == null ? null : snap.files().stream().map(Object::toString).toList(),
                failure == null ? null : Databases.rootMessage(failure),
                new StoreFigures(st.lists.sum(), st.gets.sum(), st.bytes.sum(), st.retries.sum(), st.failures.sum()),
                s.db().hydrateMode().name().toLowerCase(java.util.Locale.ROOT), s.db().hydrationProgress());
    }
}
