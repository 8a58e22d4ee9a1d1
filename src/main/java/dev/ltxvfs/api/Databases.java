package dev.ltxvfs.api;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.cache.PageCache;
import io.quarkus.runtime.configuration.MemorySize;
import java.util.concurrent.ForkJoinPool;
import dev.ltxvfs.sql.QueryRunner;
import dev.ltxvfs.sql.WorkerPool;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.DemoDataset;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The databases this service serves: registered with the VFS at startup (their indexes build in
 * the background while Quarkus finishes starting), polled by the Quarkus scheduler, closed at
 * shutdown. With none configured, the generated {@code demo} database.
 */
@ApplicationScoped
public class Databases {
    private static final Logger LOG = Logger.getLogger(Databases.class);
    public static final String DEMO = "demo";

    private final LtxvfsConfig config;
    private final Scheduler scheduler;
    private final Metrics metrics;
    private final Map<String, ServedDatabase> served = new ConcurrentHashMap<>();
    private volatile QueryRunner runner;
    private volatile WorkerPool workers;

    /** A database and where it comes from (URL without credentials), for logs and the API. */
    public record ServedDatabase(String name, String location, ReplicaDatabase db, Duration pollInterval) {}

    Databases(LtxvfsConfig config, Scheduler scheduler, Metrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.scheduler = scheduler;
    }

    void start(@Observes StartupEvent ev) {
        var cache = config.cache();
        if (cache.maxSize().isPresent() || cache.readaheadMax().asLongValue() != PageCache.DEFAULT_READAHEAD_MAX_BYTES
                || cache.readaheadBudget().asLongValue() != PageCache.DEFAULT_READAHEAD_BUDGET_BYTES) {
            Ltxvfs.configureCache(new PageCache(cache.maxSize().map(MemorySize::asLongValue).orElse(PageCache.defaultMaxBytes()),
                    (int) cache.readaheadMax().asLongValue(), cache.readaheadBudget().asLongValue(), ForkJoinPool.commonPool()));
        }
        // Registering the VFS takes about a second in a cold JVM: it runs beside the index builds
        // that add() starts (Ltxvfs.register waits for it; a failure surfaces there).
        Thread.ofPlatform().name("ltxvfs-vfs-init").start(() -> {
            try {
                LitestreamVfs.register();
            } catch (RuntimeException e) {
                LOG.debugf("registering the VFS in the background failed (retried on first use): %s", e.getMessage());
            }
        });
        workers = new WorkerPool(config.workers().size(), config.workers().queue());
        runner = new QueryRunner(workers, config.query().timeout(), config.query().maxRows(),
                config.query().maxBytes().asLongValue());
        if (config.databases().isEmpty()) {
            if (config.demo().enabled()) {
                startDemo();
            } else {
                LOG.warn("no databases configured (ltxvfs.databases.<name>.replica-url) and the demo is disabled");
            }
        }
        config.databases().forEach((name, d) -> add(name, d.replicaUrl(), d.pollInterval(), d.hydrate()));
    }

    private void startDemo() {
        // Generating the demo takes about a second: off the startup path, readiness waits for it.
        Thread.ofVirtual().name("ltxvfs-demo").start(() -> {
            try {
                var dir = config.demo().dir().toAbsolutePath();
                if (DemoDataset.ensure(dir, Instant.now())) {
                    LOG.infof("wrote the demo replica (%d transactions) to %s", DemoDataset.TRANSACTIONS, dir);
                }
                add(DEMO, ReplicaUrl.file(dir).toString(), Duration.ofSeconds(1), HydrateMode.AUTO);
            } catch (Exception e) {
                LOG.errorf("cannot prepare the demo database in %s: %s", config.demo().dir(), e.getMessage());
            }
        });
    }

    synchronized void add(String name, String url, Duration pollInterval, HydrateMode hydrate) {
        String location = ReplicaUrl.parse(url).toString();
        ReplicaDatabase db = Ltxvfs.register(name, url, config.storage().readTimeout(), hydrate);
        served.put(name, new ServedDatabase(name, location, db, pollInterval));
        metrics.bind(name, db, this);
        runner.addDatabase(name);
        long t0 = System.nanoTime();
        LOG.infof("serving database '%s' from %s (poll every %d ms)", name, location, pollInterval.toMillis());
        db.start().whenComplete((s, e) -> {
            if (e != null) {
                LOG.errorf("database '%s': cannot build the index yet (retrying every poll): %s", name, rootMessage(e));
            } else {
                LOG.infof("database '%s' ready: TXID %016x, %d pages of %d bytes, %d LTX files in the plan, index built in %d ms",
                        name, s.txid(), s.commit(), s.pageSize(), s.plan().size(), (System.nanoTime() - t0) / 1_000_000);
            }
        });
        scheduler.newJob("poll-" + name)
                .setInterval(pollInterval.toMillis() + "ms")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(ex -> poll(name, db))
                .schedule();
    }

    private Uni<Void> poll(String name, ReplicaDatabase db) {
        long before = db.ready() ? db.replica().current().txid() : -1;
        return Uni.createFrom().completionStage(db.poll())
                .onItem().invoke(advanced -> {
                    if (advanced) {
                        var s = db.replica().current();
                        LOG.infof("database '%s' advanced from TXID %016x to %016x (%d pages)", name, before, s.txid(), s.commit());
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("database '%s': poll failed, retrying next tick: %s", name, rootMessage(e));
                    return false;
                })
                .replaceWithVoid();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    void stop(@Observes ShutdownEvent ev) {
        served.keySet().forEach(n -> scheduler.unscheduleJob("poll-" + n));
        if (workers != null) {
            workers.close(); // lets running queries finish (graceful shutdown)
        }
        if (runner != null) {
            runner.close();
        }
        served.keySet().forEach(Ltxvfs::unregister);
    }

    public QueryRunner runner() {
        return runner;
    }

    public WorkerPool workers() {
        return workers;
    }

    public ServedDatabase get(String name) {
        return served.get(name);
    }

    public Collection<ServedDatabase> all() {
        return new TreeMap<>(served).values();
    }

    public boolean allReady() {
        if (served.isEmpty()) {
            // Nothing to wait for only when nothing is configured and no demo is coming.
            return config.databases().isEmpty() && !config.demo().enabled();
        }
        return served.values().stream().allMatch(s -> s.db().ready())
                && served.keySet().containsAll(config.databases().keySet());
    }

    public PageCache cache() {
        return Ltxvfs.cache();
    }
}
