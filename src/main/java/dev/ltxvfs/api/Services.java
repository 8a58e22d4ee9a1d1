package dev.ltxvfs.api;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.sql.QueryRunner;
import dev.ltxvfs.sql.WorkerPool;
import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.RegistryLimits;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.ForkJoinPool;

/**
 * The service's shared parts as CDI beans, made from configuration: the page cache, the database
 * registry (which the VFS serves from), the worker pool and the query runner. {@link Databases}
 * closes the pool and the registry at shutdown, in that order.
 */
@Singleton
class Services {

    @Produces
    @Singleton
    PageCache cache(LtxvfsConfig config) {
        var c = config.cache();
        return new PageCache(c.maxSize().map(s -> s.asLongValue()).orElseGet(PageCache::defaultMaxBytes),
                (int) c.readaheadMax().asLongValue(), c.readaheadBudget().asLongValue(), ForkJoinPool.commonPool());
    }

    @Produces
    @Singleton
    DatabaseRegistry registry(PageCache cache, LtxvfsConfig config, SchedulerPolls polls) {
        DatabaseRegistry r = new DatabaseRegistry(cache, new RegistryLimits(config.idleClose(), config.maxOpen(),
                config.pollWait(), RegistryLimits.DEFAULTS.missMemory(), config.storage().openTimeout()), polls);
        Ltxvfs.use(r);
        return r;
    }

    @Produces
    @Singleton
    WorkerPool workers(LtxvfsConfig config) {
        return new WorkerPool(config.workers().size(), config.workers().queue());
    }

    @Produces
    @Singleton
    QueryRunner runner(DatabaseRegistry registry, WorkerPool workers, LtxvfsConfig config) {
        return new QueryRunner(registry, workers, config.query().timeout(), config.query().maxRows(),
                config.query().maxBytes().asLongValue(), config.query().maxTempBytes().asLongValue());
    }
}
