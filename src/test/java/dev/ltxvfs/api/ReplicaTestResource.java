package dev.ltxvfs.api;

import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.testing.Tenants;
import dev.ltxvfs.writer.ReplicaWriter;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's test databases: one replica written with {@link ReplicaWriter} (20 transactions one
 * minute apart from {@link #T0}, a snapshot, compactions), served from its directory as {@code local}
 * and, uploaded to S3Proxy, as {@code s3} and {@code s3cold} (the same objects; only the outage test
 * reads {@code s3cold}, so its pages are never cached). The writer's own SQLite file stays as the
 * plain-SQLite oracle ({@link #plainDb()}).
 */
public class ReplicaTestResource implements QuarkusTestResourceLifecycleManager {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final int TRANSACTIONS = 20;
    public static final int ROWS_PER_TX = 200;
    public static final long BIG = 9007199254740993L; // 2^53 + 1: not a JS number
    /** Tenants t-000.. in the catalog {@code tenants} (a local folder), beside a folder "notes" that holds no replica. */
    public static final int TENANTS = 5;

    /** The writer's final state (a plain SQLite file). */
    public static Path plainDb() {
        return Path.of(System.getProperty("ltxvfstest.plain-db"));
    }

    /** The directory replica, for uploading again after S3Proxy restarts empty. */
    public static Path replicaDir() {
        return Path.of(System.getProperty("ltxvfstest.replica-dir"));
    }

    public static String bucket() {
        return System.getProperty("ltxvfstest.bucket");
    }

    @Override
    public Map<String, String> start() {
        try {
            String existing = System.getProperty("ltxvfstest.plain-db");
            // One fixture per JVM: test profiles restart Quarkus, not the data.
            if (existing == null) {
                Path dir = Files.createTempDirectory("ltxvfs-api-test");
                Path db = dir.resolve("primary.db");
                write(db, dir.resolve("replica"));
                S3ProxyServer s3 = S3ProxyServer.get();
                String bucket = s3.newBucket("api");
                ReplicaUpload.upload(dir.resolve("replica"), s3.client(), bucket, "items");
                System.setProperty("ltxvfstest.replica-dir", dir.resolve("replica").toString());
                System.setProperty("ltxvfstest.bucket", bucket);
                System.setProperty("ltxvfstest.s3-url", s3.replicaUrl(bucket, "items"));
                System.setProperty("ltxvfstest.plain-db", db.toString());
                Tenants tenants = Tenants.write(dir.resolve("tenants"), TENANTS);
                Files.createDirectories(tenants.dir.resolve("notes"));
                Files.writeString(tenants.dir.resolve("notes/readme.txt"), "not a replica");
                // A folder named like a configured database: the configured one wins.
                Files.createDirectories(tenants.dir.resolve("local/ltx/0"));
                System.setProperty("ltxvfstest.tenants-dir", tenants.dir.toString());
            }
            // The S3 store reads credentials the AWS default way; system properties are one of them.
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            Map<String, String> config = new HashMap<>();
            config.put("ltxvfs.databases.local.replica-url", "file://" + replicaDir());
            config.put("ltxvfs.databases.s3.replica-url", System.getProperty("ltxvfstest.s3-url"));
            config.put("ltxvfs.databases.s3cold.replica-url", System.getProperty("ltxvfstest.s3-url"));
            config.put("ltxvfs.databases.s3cold.poll-interval", "1h");
            config.put("ltxvfs.databases.s3cold.hydrate", "off"); // hydration would cache its pages
            config.put("ltxvfs.catalogs.tenants.replica-url", "file://" + System.getProperty("ltxvfstest.tenants-dir"));
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the test replica: " + e.getMessage(), e);
        }
    }

    static void write(Path db, Path replicaDir) throws Exception {
        ReplicaWriter w = new ReplicaWriter(replicaDir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=4096");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, big INTEGER, f REAL, body BLOB, note TEXT)");
            s.execute("CREATE INDEX items_name ON items(name)");
            for (int tx = 0; tx < TRANSACTIONS; tx++) {
                int base = tx * 1000;
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + ROWS_PER_TX + ") "
                        + "INSERT INTO items SELECT " + base + "+i, 'item ' || (" + base + "+i), (" + base + "+i) * 1000003, "
                        + "i / 8.0, randomblob(100 + i % 50), CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END FROM n");
                if (tx == 0) {
                    s.execute("INSERT INTO items VALUES (0, 'edge', " + BIG + ", 2.5, x'00ff10', NULL)");
                    s.execute("INSERT INTO items VALUES (-1, 'min', -9223372036854775808, -1e300, x'', 'ünïcødé ☃')");
                }
                Instant at = T0.plusSeconds(60L * tx);
                w.commit(db, at);
                if (tx == 10) {
                    w.snapshot(db, at);
                }
                if (tx % 5 == 4) {
                    w.compact(1);
                }
                if (tx == 15) {
                    w.compact(2);
                }
            }
        }
    }

    @Override
    public void stop() {
        // The temp files go with the JVM's temp dir; S3Proxy stops with the JVM.
    }
}
