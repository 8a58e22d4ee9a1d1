package dev.ltxvfs.api;

import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.vfs.NoSuchDatabaseException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The catalogs ({@code ltxvfs.catalogs.<catalog>.replica-url}) and the databases under each: one
 * page is one LIST with a delimiter (folder names, not checked one by one to hold a replica).
 */
@Path("/v1/catalogs")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogsResource {
    static final int MAX_PAGE = 1000;

    private final Databases databases;

    CatalogsResource(Databases databases) {
        this.databases = databases;
    }

    public record CatalogInfo(String name, String replica, String poll, long pollIntervalMs) {}

    /** One page of a catalog's databases; {@code next} is the {@code page} parameter of the next one (null: the end). */
    public record CatalogPage(String catalog, String replica, List<String> databases, String next) {}

    @GET
    public List<CatalogInfo> list() {
        return databases.registry().catalogs().stream().map(c -> new CatalogInfo(c.name(), c.location(),
                c.polling().mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), c.polling().interval().toMillis())).toList();
    }

    @GET
    @Path("/{catalog}")
    public Uni<CatalogPage> page(@RestPath String catalog, @RestQuery String page, @RestQuery @DefaultValue("1000") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "limit must be between 1 and " + MAX_PAGE);
        }
        String location = databases.registry().catalogs().stream().filter(c -> c.name().equals(catalog)).findFirst()
                .map(c -> c.location()).orElse(null);
        try {
            return Uni.createFrom().completionStage(databases.registry().listCatalog(catalog, page, limit))
                    .onItem().transform(p -> new CatalogPage(catalog, location, p.folders(), p.next()))
                    .onFailure().transform(e -> new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE,
                            "cannot list catalog '" + catalog + "': " + Databases.rootMessage(e), e));
        } catch (NoSuchDatabaseException e) {
            throw new QueryException(QueryException.Kind.UNKNOWN_DATABASE, e.getMessage());
        }
    }
}
