package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.S3ProxyServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Test helper: serves one replica URL (S3Proxy credentials for {@code s3://}) under a name,
 * with a cache of the caller's choosing, and reads rows as the sqlite3 CLI prints them.
 */
final class Served {
    private Served() {}

    static ReplicaStore store(String url) {
        return url.startsWith("s3:")
                ? ReplicaStores.open(ReplicaUrl.parse(url), S3ProxyServer.get().options())
                : ReplicaStores.open(url);
    }

    /** Serves {@code name} through the VFS (the registry starts its index build). */
    static ReplicaDatabase serve(String name, ReplicaStore store, PageCache cache, Duration deadline) {
        LitestreamVfs.register();
        return Ltxvfs.registry().serve(name, name, () -> new ReplicaDatabase(name, store, cache, deadline, deadline),
                Polling.MANUAL);
    }

    static ReplicaDatabase serve(String name, String url) {
        return serve(name, store(url), Ltxvfs.registry().cache(), Duration.ofSeconds(30));
    }

    /** Serves {@code name} read into the cache as {@code hydrate} says, once its index is built. */
    static ReplicaDatabase serve(String name, String url, dev.ltxvfs.cache.HydrateMode hydrate) {
        LitestreamVfs.register();
        Duration deadline = Duration.ofSeconds(30);
        return Ltxvfs.registry().serve(name, name,
                () -> new ReplicaDatabase(name, store(url), Ltxvfs.registry().cache(), deadline, deadline, hydrate),
                Polling.MANUAL);
    }

    static void unserve(String name, ReplicaDatabase db) {
        Ltxvfs.unregister(name); // closes db
    }

    static Connection open(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:file:" + name + "?vfs=litestream");
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        return dev.ltxvfs.testing.SqlRows.rows(c, sql);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
