package dev.ltxvfs.vfs;


import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.testing.SqlRows;
import dev.ltxvfs.testing.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalog tests share: 200 tiny replicas under one prefix, in a local directory and in
 * S3Proxy, and a registry the VFS serves them from through plain JDBC. Requests are counted by the
 * stores, which count each one before it is sent.
 */
abstract class CatalogHarness {
    static final int TENANTS = 200;
    static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    static Path root;
    static Tenants tenants;
    static String bucket;

    DatabaseRegistry before;
    DatabaseRegistry registry;

    @BeforeAll
    static void write() throws Exception {
        tenants = Tenants.write(root, TENANTS);
        S3ProxyServer s3 = S3ProxyServer.get();
        bucket = s3.newBucket("catalog");
        tenants.upload(s3.client(), bucket, "tenants");
    }

    @BeforeEach
    void install() {
        before = Ltxvfs.registry();
    }

    @AfterEach
    void restore() {
        if (registry != null) {
            registry.close();
        }
        Ltxvfs.use(before);
    }

    /** A registry the VFS serves from, with a catalog of the tenants. */
    DatabaseRegistry serve(CatalogStore store, int maxOpen, Duration idleClose) {
        registry = new DatabaseRegistry(new PageCache(32 << 20),
                new RegistryLimits(idleClose, maxOpen, Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(20)));
        Ltxvfs.use(registry);
        LitestreamVfs.register();
        registry.addCatalog("tenants", store, Polling.onDemand(POLL), (name, replica) ->
                new ReplicaDatabase(name, replica, registry.cache(), Duration.ofSeconds(20), Duration.ofSeconds(20)));
        return registry;
    }

    static CatalogStore s3Catalog() {
        S3ProxyServer s3 = S3ProxyServer.get();
        return CatalogStore.open(ReplicaUrl.parse(s3.replicaUrl(bucket, "tenants")), s3.options());
    }

    static CatalogStore localCatalog() {
        return CatalogStore.open(ReplicaUrl.file(tenants.dir), S3Options.defaults());
    }

    static List<String> query(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?vfs=litestream")) {
            return SqlRows.rows(c, sql);
        }
    }

    /** Queries every third tenant from 8 threads; returns the wrong answers. */
    static List<String> queryMany() throws Exception {
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < TENANTS; i += 3) {
            int n = i;
            done.add(pool.submit(() -> {
                List<String> got = query(Tenants.name(n), "SELECT id, name FROM t");
                if (!got.equals(List.of(Tenants.answer(n)))) {
                    wrong.add(Tenants.name(n) + ": " + got);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return wrong;
    }

    /** Every request of the catalog and of its open databases so far. */
    long requests(CatalogStore catalog) {
        long n = catalog.stats().lists.sum() + catalog.stats().gets.sum();
        for (DatabaseRegistry.Served s : registry.served()) {
            if (s.database() instanceof ReplicaDatabase db) {
                n += db.replica().store().stats().lists.sum() + db.replica().store().stats().gets.sum();
            }
        }
        return n;
    }


    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
