package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.store.ReplicaUrl;
import java.time.Duration;

/**
 * The public entry point for JDBC users:
 *
 * <pre>{@code
 * Ltxvfs.register("orders", "s3://bucket/orders?endpoint=http://127.0.0.1:9000");
 * Connection c = DriverManager.getConnection("jdbc:sqlite:file:orders?vfs=litestream");
 * }</pre>
 *
 * Several databases per process, owned by one {@link DatabaseRegistry} with one shared page
 * cache. Names not registered are served from {@code LITESTREAM_REPLICA_URL} when it is set, as
 * with the Litestream VFS. The service installs its own registry with {@link #use}.
 */
public final class Ltxvfs {
    public static final Duration DEFAULT_READ_DEADLINE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_OPEN_DEADLINE = Duration.ofSeconds(60);

    /** The registry the VFS serves from: SQLite's VFS is process-wide, so this link is too. */
    private static volatile DatabaseRegistry registry;

    private Ltxvfs() {}

    /** The registry the VFS serves from, created on first use with a default page cache. */
    public static DatabaseRegistry registry() {
        DatabaseRegistry r = registry;
        if (r == null) {
            synchronized (Ltxvfs.class) {
                if (registry == null) {
                    registry = new DatabaseRegistry(new PageCache());
                    installDefault(registry);
                }
                r = registry;
            }
        }
        return r;
    }

    /**
     * Makes the VFS serve from {@code r} (the service's registry, with its configured cache); null
     * goes back to a default registry made on next use.
     */
    public static synchronized void use(DatabaseRegistry r) {
        registry = r;
        if (r != null) {
            installDefault(r);
        }
    }

    /** Registers the VFS (once) and serves {@code replicaUrl} as database {@code name}. */
    public static ReplicaDatabase register(String name, String replicaUrl) {
        return register(name, replicaUrl, DEFAULT_READ_DEADLINE, DEFAULT_OPEN_DEADLINE);
    }

    /**
     * @param readDeadline a page read that takes longer fails with an I/O error
     * @param openDeadline how long a query waits for the first index before it fails
     */
    public static ReplicaDatabase register(String name, String replicaUrl, Duration readDeadline, Duration openDeadline) {
        return register(name, replicaUrl, readDeadline, openDeadline, HydrateMode.AUTO);
    }

    /**
     * As {@link #register(String, String)}, choosing whether the database is read whole into the
     * cache in the background once its index is built ({@link HydrateMode#AUTO}, the default:
     * when it fits in half the cache).
     */
    public static ReplicaDatabase register(String name, String replicaUrl, HydrateMode hydrate) {
        return register(name, replicaUrl, DEFAULT_READ_DEADLINE, DEFAULT_OPEN_DEADLINE, hydrate);
    }

    public static ReplicaDatabase register(String name, String replicaUrl, Duration readDeadline, Duration openDeadline,
            HydrateMode hydrate) {
        DatabaseRegistry r = registry();
        // The index build (storage round trips) starts first and overlaps the VFS registration
        // (loading SQLite and the extension, binding FFM calls: about a second in a cold JVM).
        ReplicaDatabase db = r.serve(name, ReplicaUrl.parse(replicaUrl).toString(),
                () -> new ReplicaDatabase(name, ReplicaStores.open(replicaUrl), r.cache(), readDeadline, openDeadline, hydrate),
                Polling.MANUAL);
        LitestreamVfs.register();
        return db;
    }

    /**
     * Serves every folder directly under {@code catalogUrl} ({@code s3://bucket/tenants} or
     * {@code file:///dir}) that holds a replica as a database named after the folder, opened on
     * first use ({@code jdbc:sqlite:file:acme?vfs=litestream}), polled on demand, closed when idle.
     *
     * @throws IllegalArgumentException when the URL is not a folder or the name breaks a rule
     */
    public static void registerCatalog(String catalog, String catalogUrl) {
        DatabaseRegistry r = registry();
        r.addCatalog(catalog, CatalogStore.open(ReplicaUrl.parse(catalogUrl), S3Options.defaults()),
                Polling.onDemand(Duration.ofSeconds(1)),
                (name, store) -> new ReplicaDatabase(name, store, r.cache(), DEFAULT_READ_DEADLINE, DEFAULT_OPEN_DEADLINE));
        LitestreamVfs.register();
    }

    public static void unregister(String name) {
        registry().remove(name);
    }

    /** LITESTREAM_REPLICA_URL serves any name not registered, like the Litestream VFS does. */
    private static void installDefault(DatabaseRegistry r) {
        String url = System.getenv("LITESTREAM_REPLICA_URL");
        if (url == null || url.isBlank()) {
            return;
        }
        r.fallbackTo(ReplicaUrl.parse(url).toString(), () -> new ReplicaDatabase("default", ReplicaStores.open(url), r.cache(),
                DEFAULT_READ_DEADLINE, DEFAULT_OPEN_DEADLINE, HydrateMode.AUTO), Polling.MANUAL);
    }
}
