package dev.ltxvfs.api;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.api.StartupTimeline.Moment;
import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.sql.QueryException;
import dev.ltxvfs.sql.QueryRunner;
import dev.ltxvfs.sql.WorkerPool;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.Lease;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.NoSuchDatabaseException;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.vfs.VfsDatabase;
import dev.ltxvfs.writer.DemoDataset;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What the service serves, from configuration: the configured databases (their indexes build in
 * the background while Quarkus finishes starting), the catalogs (their databases open on first
 * use), or, with neither, the generated {@code demo} database. The
 * {@link DatabaseRegistry} owns them (open, poll, close); this bean only tells it what to serve,
 * binds metrics as databases open and close, and answers what the API and health checks ask.
 */
@ApplicationScoped
public class Databases {
    private static final Logger LOG = Logger.getLogger(Databases.class);
    public static final String DEMO = "demo";

    private final LtxvfsConfig config;
    private final DatabaseRegistry registry;
    private final WorkerPool workers;
    private final QueryRunner runner;
    private final Metrics metrics;

    /** A database and where it comes from (URL without credentials), for logs and the API. */
    public record ServedDatabase(String name, String location, String catalog, ReplicaDatabase db, Duration pollInterval) {}

    Databases(LtxvfsConfig config, DatabaseRegistry registry, WorkerPool workers, QueryRunner runner, Metrics metrics) {
        this.config = config;
        this.registry = registry;
        this.workers = workers;
        this.runner = runner;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent ev) {
        StartupTimeline.mark(Moment.QUARKUS_BOOT);
        // Registering the VFS takes a few hundred ms in a cold JVM: it runs beside the index builds
        // that add() starts (add() waits for it; a failure surfaces there). Usually EarlyStart has
        // done it while Quarkus booted.
        Thread.ofPlatform().name("ltxvfs-vfs-init").start(() -> {
            try {
                LitestreamVfs.register();
                StartupTimeline.mark(Moment.VFS_REGISTERED);
            } catch (RuntimeException e) {
                LOG.debugf("registering the VFS in the background failed (retried on first use): %s", e.getMessage());
            }
        });
        registry.addListener(new DatabaseRegistry.Listener() {
            @Override
            public void opened(String name, VfsDatabase db) {
                if (db instanceof ReplicaDatabase r) {
                    metrics.bind(name, r);
                    logWhenReady(name, r);
                }
            }

            @Override
            public void closed(String name, VfsDatabase db) {
                metrics.unbind(name);
            }
        });
        config.catalogs().forEach(this::addCatalog);
        if (config.databases().isEmpty() && config.catalogs().isEmpty()) {
            if (config.demo().enabled()) {
                startDemo();
            } else {
                LOG.warn("no databases configured (ltxvfs.databases.<name>.replica-url) and the demo is disabled");
            }
        }
        config.databases().forEach((name, d) -> add(name, d.replicaUrl(), polling(d.poll(), d.pollInterval()), d.hydrate()));
        EarlyStart.discardUntaken();
    }

    static Polling polling(LtxvfsConfig.PollMode mode, Duration interval) {
        return mode == LtxvfsConfig.PollMode.BACKGROUND ? Polling.background(interval)
                : Polling.onDemand(interval);
    }

    private void addCatalog(String catalog, LtxvfsConfig.Catalog c) {
        CatalogStore store = CatalogStore.open(ReplicaUrl.parse(c.replicaUrl()), s3Options(config));
        LOG.infof("serving the databases of catalog '%s' from %s (opened on first use, polled %s every %d ms)", catalog,
                store.location(), c.poll().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), c.pollInterval().toMillis());
        registry.addCatalog(catalog, store, polling(c.poll(), c.pollInterval()), (name, replica) -> new ReplicaDatabase(name,
                replica, registry.cache(), config.storage().readTimeout(), config.storage().openTimeout(), c.hydrate()));
        LitestreamVfs.register();
    }

    private void startDemo() {
        // Generating the demo takes about a second: off the startup path, readiness waits for it.
        Thread.ofVirtual().name("ltxvfs-demo").start(() -> {
            try {
                var dir = config.demo().dir().toAbsolutePath();
                if (DemoDataset.ensure(dir, Instant.now())) {
                    LOG.infof("wrote the demo replica (%d transactions) to %s", DemoDataset.TRANSACTIONS, dir);
                }
                add(DEMO, ReplicaUrl.file(dir).toString(), Polling.background(Duration.ofSeconds(1)), HydrateMode.AUTO);
            } catch (Exception e) {
                LOG.errorf("cannot prepare the demo database in %s: %s", config.demo().dir(), e.getMessage());
            }
        });
    }

    private void add(String name, String url, Polling polling, HydrateMode hydrate) {
        String location = ReplicaUrl.parse(url).toString();
        LOG.infof("serving database '%s' from %s (poll %s every %d ms)", name, location,
                polling.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), polling.interval().toMillis());
        Duration read = config.storage().readTimeout();
        Duration open = config.storage().openTimeout();
        ReplicaDatabase db = registry.serve(name, location,
                () -> EarlyStart.take(name, url)
                        .map(o -> new ReplicaDatabase(name, o.replica, o.firstIndex, registry.cache(), read, open, hydrate))
                        .orElseGet(() -> new ReplicaDatabase(name, openStore(url, s3Options(config)), registry.cache(), read, open, hydrate)),
                polling);
        LitestreamVfs.register();
        // A scale-to-zero start's first query is usually waiting by then: it finds a connection with the schema read.
        db.start().thenRun(() -> runner.openAhead(name).exceptionally(e -> {
            LOG.debugf("database '%s': no connection opened ahead (the first query opens one): %s", name, rootMessage(e));
            return null;
        }));
    }

    /** {@code ltxvfs.storage.s3.*} as the stores take it; a bad value names its key. */
    static S3Options s3Options(LtxvfsConfig config) {
        LtxvfsConfig.Storage.S3 s3 = config.storage().s3();
        try {
            return S3Options.defaults().withRetries(s3.maxAttempts(), s3.requestTimeout())
                    .withAttemptTimeout(s3.attemptTimeout()).withBackoff(s3.initialBackoff(), s3.maxBackoff())
                    .withMaxConcurrency(s3.maxConnections());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ltxvfs.storage.s3: " + e.getMessage(), e);
        }
    }

    static ReplicaStore openStore(String url, S3Options options) {
        ReplicaUrl parsed = ReplicaUrl.parse(url);
        ReplicaStore store = ReplicaStores.open(parsed, options);
        if (parsed.isS3()) {
            StartupTimeline.mark(Moment.S3_CLIENT_READY);
        }
        return store;
    }

    private static void logWhenReady(String name, ReplicaDatabase db) {
        long t0 = System.nanoTime();
        db.start().whenComplete((s, e) -> {
            if (e == null) {
                StartupTimeline.mark(Moment.LIST_AND_TAILS);
            }
            if (e != null) {
                LOG.errorf("database '%s': cannot build the index yet (retrying every poll): %s", name, rootMessage(e));
            } else {
                LOG.infof("database '%s' ready: TXID %016x, %d pages of %d bytes, %d LTX files in the plan, index built in %d ms",
                        name, s.txid(), s.commit(), s.pageSize(), s.plan().size(), (System.nanoTime() - t0) / 1_000_000);
            }
        });
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    void stop(@Observes ShutdownEvent ev) {
        workers.close(); // lets running queries finish (graceful shutdown)
        registry.close();
        Ltxvfs.use(null);
    }

    /**
     * The database served as {@code name}, opened if it is a catalog's; blocks (storage round
     * trips), so call it on a worker. QueryException: 400 for a bad name, 404 (with the reason)
     * when nothing is served under it, 503 when storage failed while looking.
     */
    public ServedDatabase open(String name) {
        try (Lease lease = registry.acquire(name)) {
            return registry.find(lease.name()).map(Databases::served).orElseThrow(() ->
                    new QueryException(QueryException.Kind.UNKNOWN_DATABASE, "database '" + name + "' was closed meanwhile; retry"));
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, e.getMessage());
        } catch (NoSuchDatabaseException e) {
            throw new QueryException(QueryException.Kind.UNKNOWN_DATABASE, e.getMessage());
        } catch (IOException e) {
            throw new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE, e.getMessage(), e);
        }
    }

    /** The catalog the database {@code name} comes from (opening it), or null when it is configured. */
    public String catalogOf(String name) {
        return open(name).catalog();
    }

    public boolean isCatalog(String name) {
        return config.catalogs().containsKey(name);
    }

    /** The open databases (configured ones are always open), by name. */
    public Collection<ServedDatabase> all() {
        return registry.served().stream().map(Databases::served).filter(s -> s != null).toList();
    }

    private static ServedDatabase served(DatabaseRegistry.Served s) {
        return s.database() instanceof ReplicaDatabase db
                ? new ServedDatabase(s.name(), s.location(), s.catalog(), db, s.polling().interval()) : null;
    }

    /** Ready when every configured database (or the demo) has its index; catalogs' databases open later, on use. */
    public boolean allReady() {
        List<ServedDatabase> configured = all().stream().filter(s -> s.catalog() == null).toList();
        if (configured.isEmpty()) {
            // Nothing to wait for only when nothing is configured and no demo is coming.
            return config.databases().isEmpty() && (!config.demo().enabled() || !config.catalogs().isEmpty());
        }
        return configured.stream().allMatch(s -> s.db().ready())
                && configured.stream().map(ServedDatabase::name).toList().containsAll(config.databases().keySet());
    }

    public PageCache cache() {
        return registry.cache();
    }

    public DatabaseRegistry registry() {
        return registry;
    }
}
