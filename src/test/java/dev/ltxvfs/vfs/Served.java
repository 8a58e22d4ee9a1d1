package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.S3ProxyServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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

    /** Registers {@code name} in the VFS and starts its index build. */
    static ReplicaDatabase serve(String name, ReplicaStore store, PageCache cache, Duration deadline) {
        LitestreamVfs.register();
        ReplicaDatabase db = new ReplicaDatabase(name, store, cache, deadline, deadline);
        LitestreamVfs.registerDatabase(name, db);
        db.start();
        return db;
    }

    static ReplicaDatabase serve(String name, String url) {
        return serve(name, store(url), Ltxvfs.cache(), Duration.ofSeconds(30));
    }

    static void unserve(String name, ReplicaDatabase db) {
        LitestreamVfs.unregisterDatabase(name);
        db.close();
    }

    static Connection open(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:file:" + name + "?vfs=litestream");
    }

    /** Rows as the sqlite3 CLI prints them in list mode: columns joined by '|', NULL as empty. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String v = rs.getString(i);
                    b.append(i > 1 ? "|" : "").append(v == null ? "" : v);
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
