package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStores;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public entry point for JDBC users:
 *
 * <pre>{@code
 * Ltxvfs.register("orders", "s3://bucket/orders?endpoint=http://127.0.0.1:9000");
 * Connection c = DriverManager.getConnection("jdbc:sqlite:file:orders?vfs=litestream");
 * }</pre>
 *
 * Several databases per process; one shared page cache for all of them. Names not registered
 * are served from {@code LITESTREAM_REPLICA_URL} when it is set, as with the Litestream VFS.
 */
public final class Ltxvfs {
    public static final Duration DEFAULT_READ_DEADLINE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_OPEN_DEADLINE = Duration.ofSeconds(60);

    private static final Map<String, ReplicaDatabase> OPEN = new ConcurrentHashMap<>();
    private static volatile PageCache cache;

    private Ltxvfs() {}

    /** The process-wide page cache, created on first use with the default size. */
    public static PageCache cache() {
        PageCache c = cache;
        if (c == null) {
            synchronized (Ltxvfs.class) {
                if (cache == null) {
                    cache = new PageCache();
                }
                c = cache;
            }
        }
        return c;
    }

    /** Sets the shared cache's size; only before the first database is registered. */
    public static void configureCache(long maxBytes) {
        configureCache(new PageCache(maxBytes));
    }

    /** Sets the shared cache (size, readahead); only before the first database is registered. */
    public static synchronized void configureCache(PageCache c) {
        if (cache != null && !OPEN.isEmpty()) {
            throw new IllegalStateException("the page cache is in use; configure it before registering databases");
        }
        cache = c;
    }

    /** Registers the VFS (once) and serves {@code replicaUrl} as database {@code name}. */
    public static ReplicaDatabase register(String name, String replicaUrl) {
        return register(name, replicaUrl, DEFAULT_READ_DEADLINE);
    }

    public static ReplicaDatabase register(String name, String replicaUrl, Duration readDeadline) {
        return register(name, replicaUrl, readDeadline, HydrateMode.AUTO);
    }

    /**
     * As {@link #register(String, String)}, choosing whether the database is read whole into the
     * cache once its index is built ({@link HydrateMode#AUTO}: when it fits in half the cache).
     */
    public static ReplicaDatabase register(String name, String replicaUrl, HydrateMode hydrate) {
        return register(name, replicaUrl, DEFAULT_READ_DEADLINE, hydrate);
    }

    public static synchronized ReplicaDatabase register(String name, String replicaUrl, Duration readDeadline,
            HydrateMode hydrate) {
        ReplicaDatabase db = new ReplicaDatabase(name, ReplicaStores.open(replicaUrl), cache(), readDeadline,
                DEFAULT_OPEN_DEADLINE, hydrate);
        // The index build (storage round trips) starts first and overlaps the VFS registration
        // (loading SQLite and the extension, binding FFM calls: about a second in a cold JVM).
        db.start();
        LitestreamVfs.register();
        installDefault();
        ReplicaDatabase old = OPEN.put(name, db);
        LitestreamVfs.registerDatabase(name, db);
        if (old != null) {
            old.close();
        }
        return db;
    }

    public static synchronized void unregister(String name) {
        LitestreamVfs.unregisterDatabase(name);
        ReplicaDatabase db = OPEN.remove(name);
        if (db != null) {
            db.close();
        }
    }

    public static ReplicaDatabase database(String name) {
        return OPEN.get(name);
    }

    /** LITESTREAM_REPLICA_URL serves any name not registered, like the Litestream VFS does. */
    private static void installDefault() {
        String url = System.getenv("LITESTREAM_REPLICA_URL");
        if (url == null || url.isBlank()) {
            return;
        }
        LitestreamVfs.setFallback(name -> OPEN.computeIfAbsent("\0default", k -> {
            ReplicaDatabase db = new ReplicaDatabase("default", ReplicaStores.open(url), cache(), DEFAULT_READ_DEADLINE,
                    DEFAULT_OPEN_DEADLINE, HydrateMode.AUTO);
            db.start();
            return db;
        }));
    }
}
