package dev.ltxvfs.api;

import dev.ltxvfs.cache.CacheStats;
import dev.ltxvfs.sql.QueryResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The types Jackson reads or writes, kept for reflection in the native image. Quarkus registers the
 * declared types of resource methods itself, but not what it cannot see: exception-mapper entities
 * ({@link ApiError}), values behind {@code Object} or generics, records nested in other packages.
 * NativeReflectionTest requires every record of this package here.
 */
@RegisterForReflection(targets = {
    ApiError.class, ApiError.Detail.class,
    QueryBody.class, QueryResult.class, CacheStats.class,
    DatabasesResource.Listing.class, DatabasesResource.DatabaseInfo.class, DatabasesResource.StoreFigures.class,
    Databases.ServedDatabase.class,
    CatalogsResource.CatalogInfo.class, CatalogsResource.CatalogPage.class,
    HistoryResource.History.class, HistoryResource.MomentInfo.class,
})
final class NativeReflection {
    private NativeReflection() {}
}
