package dev.ltxvfs.api;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.sql.WorkerPool;
import dev.ltxvfs.vfs.ReplicaDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/** The service's figures for Prometheus at /q/metrics: queries, replicas, storage, cache, workers. */
@ApplicationScoped
public class Metrics {
    private final MeterRegistry registry;

    Metrics(MeterRegistry registry, PageCache cache, WorkerPool workers, dev.ltxvfs.vfs.DatabaseRegistry databases) {
        this.registry = registry;
        Gauge.builder("ltxvfs.databases.open", databases, dev.ltxvfs.vfs.DatabaseRegistry::openCount)
                .description("Databases open now (configured ones and catalogs' in use)").register(registry);
        FunctionCounter.builder("ltxvfs.cache.hits", cache, c -> c.stats().hits()).register(registry);
        FunctionCounter.builder("ltxvfs.cache.misses", cache, c -> c.stats().misses()).register(registry);
        FunctionCounter.builder("ltxvfs.cache.evictions", cache, c -> c.stats().evictions()).register(registry);
        FunctionCounter.builder("ltxvfs.cache.fetches", cache, c -> c.stats().fetches()).register(registry);
        Gauge.builder("ltxvfs.cache.bytes", cache, c -> c.stats().bytes()).register(registry);
        Gauge.builder("ltxvfs.cache.max.bytes", cache, c -> c.stats().maxBytes()).register(registry);
        Gauge.builder("ltxvfs.workers.queue", workers, WorkerPool::queued).description("Queries waiting for a worker").register(registry);
        Gauge.builder("ltxvfs.workers.active", workers, WorkerPool::active).register(registry);
    }

    /** One finished query: latency by database and outcome, rows returned. */
    public void query(String db, long startNanos, Throwable failure, long rows) {
        if (failure == null) {
            StartupTimeline.mark(StartupTimeline.Moment.FIRST_QUERY);
        }
        String outcome = outcome(failure);
        Timer.builder("ltxvfs.query").description("Query latency by database and outcome")
                .tags("db", db, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
        if (rows > 0) {
            Counter.builder("ltxvfs.query.rows").description("Rows returned").tag("db", db).register(registry).increment(rows);
        }
    }

    static String outcome(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t == null) {
            return "ok";
        }
        return t instanceof QueryException q ? q.kind().name().toLowerCase(Locale.ROOT) : "error";
    }

    /** Gauges and counters of one open database. */
    void bind(String name, ReplicaDatabase db) {
        Tags tags = Tags.of("db", name);
        var store = db.replica().store().stats();
        Gauge.builder("ltxvfs.replica.txid", db, d -> d.ready() ? d.replica().current().txid() : -1).tags(tags).register(registry);
        Gauge.builder("ltxvfs.replica.lag.seconds", db, ReplicaDatabase::lagSeconds).tags(tags).register(registry);
        Gauge.builder("ltxvfs.replica.pages", db, d -> d.ready() ? d.replica().current().commit() : 0).tags(tags).register(registry);
        Gauge.builder("ltxvfs.replica.ready", db, d -> d.ready() ? 1 : 0).tags(tags).register(registry);
        Gauge.builder("ltxvfs.hydration.progress", db, ReplicaDatabase::hydrationProgress)
                .description("Percent of the database read into the cache by hydration (0 when off)").tags(tags).register(registry);
        FunctionCounter.builder("ltxvfs.replica.polls", db.replica(), r -> r.polls.sum()).tags(tags).register(registry);
        FunctionCounter.builder("ltxvfs.replica.poll.failures", db.replica(), r -> r.pollFailures.sum()).tags(tags).register(registry);
        Gauge.builder("ltxvfs.index.build.millis", db.replica(), r -> r.lastBuildMillis())
                .description("Duration of the last full index build (plan + parallel tail reads + merge)").tags(tags).register(registry);
        Gauge.builder("ltxvfs.store.requests.per.minute", db.replica(), r -> perMinute(r, true))
                .description("LIST requests per minute over the last minute of polls (the idle cost)").tags(tags.and("type", "list")).register(registry);
        Gauge.builder("ltxvfs.store.requests.per.minute", db.replica(), r -> perMinute(r, false))
                .tags(tags.and("type", "get")).register(registry);
        FunctionCounter.builder("ltxvfs.store.requests", store, s -> s.lists.sum()).tags(tags.and("type", "list")).register(registry);
        FunctionCounter.builder("ltxvfs.store.requests", store, s -> s.gets.sum()).tags(tags.and("type", "get")).register(registry);
        FunctionCounter.builder("ltxvfs.store.bytes", store, s -> s.bytes.sum()).tags(tags).register(registry);
        FunctionCounter.builder("ltxvfs.store.retries", store, s -> s.retries.sum()).tags(tags).register(registry);
        FunctionCounter.builder("ltxvfs.store.failures", store, s -> s.failures.sum()).tags(tags).register(registry);
    }

    /**
     * Drops the meters of a closed database, which would otherwise keep it reachable (and a
     * bucket of thousands of databases would grow the registry without bound).
     */
    void unbind(String name) {
        for (Meter m : registry.getMeters()) {
            if (name.equals(m.getId().getTag("db")) && m.getId().getName().startsWith("ltxvfs.")) {
                registry.remove(m);
            }
        }
    }

    private static double perMinute(dev.ltxvfs.index.LiveReplica r, boolean lists) {
        var rate = r.requestsPerMinute();
        return rate == null ? Double.NaN : lists ? rate.lists() : rate.gets();
    }
}
