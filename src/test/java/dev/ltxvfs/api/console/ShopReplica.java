package dev.ltxvfs.api.console;

import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.writer.ReplicaWriter;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The console's replica: an {@code orders} table over 12 transactions one minute apart from
 * {@link #T0}, with the scene the console is for: TXID {@value #DELETE} deletes the orders under
 * 300 (a WHERE clause that caught too much), TXID {@value #UPDATE} changes two totals. Level 1
 * compacts every 4 TXIDs; retention removed level-0 files 1..5, so TXID {@value #OLDEST} is the
 * oldest moment kept and TXIDs 6 and 7 resolve to it. Served from its directory as {@code shop},
 * from S3Proxy as {@code shop-s3}, and as {@code lisbon} of the catalog {@code branches}; a plain
 * SQLite copy of every TXID is the oracle.
 */
public class ShopReplica implements QuarkusTestResourceLifecycleManager {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final int TRANSACTIONS = 12;
    public static final int DELETE = 10;
    public static final int UPDATE = 11;
    public static final int OLDEST = 4;
    /** A database of catalog {@code branches} (a folder of replicas), opened on first use. */
    public static final String CATALOG_DATABASE = "lisbon";

    /** The primary's file as it was right after {@code txid}. */
    public static Path plainAt(long txid) {
        return Path.of(System.getProperty("ltxvfstest.shop-dir")).resolve("plain-" + txid + ".db");
    }

    public static Instant timeOf(long txid) {
        return T0.plus(Duration.ofMinutes(txid - 1));
    }

    @Override
    public Map<String, String> start() {
        try {
            if (System.getProperty("ltxvfstest.shop-dir") == null) {
                Path dir = Files.createTempDirectory("ltxvfs-shop");
                write(dir);
                S3ProxyServer s3 = S3ProxyServer.get();
                String bucket = s3.newBucket("shop");
                ReplicaUpload.upload(dir.resolve("replica"), s3.client(), bucket, "shop");
                System.setProperty("ltxvfstest.shop-s3-url", s3.replicaUrl(bucket, "shop"));
                System.setProperty("ltxvfstest.shop-dir", dir.toString());
            }
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            Path dir = Path.of(System.getProperty("ltxvfstest.shop-dir"));
            return Map.of(
                    "ltxvfs.databases.shop.replica-url", "file://" + dir.resolve("replica"),
                    "ltxvfs.databases.shop-s3.replica-url", System.getProperty("ltxvfstest.shop-s3-url"),
                    "ltxvfs.catalogs.branches.replica-url", "file://" + dir.resolve("catalog"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the console's replica: " + e.getMessage(), e);
        }
    }

    static void write(Path dir) throws Exception {
        Path db = dir.resolve("primary.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        // The driver itself, not DriverManager: a test resource runs in a class loader that may not see it.
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + db, new java.util.Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total INTEGER, note TEXT, receipt BLOB)");
            for (int tx = 1; tx <= TRANSACTIONS; tx++) {
                if (tx == DELETE) {
                    s.execute("DELETE FROM orders WHERE total < 300");
                } else if (tx == UPDATE) {
                    s.execute("UPDATE orders SET total = total + 1000 WHERE id IN (3, 21)");
                } else {
                    int first = tx == 1 ? 1 : 11 + (tx - 2) * 5;
                    int n = tx == 1 ? 10 : 5;
                    s.execute("WITH RECURSIVE k(i) AS (SELECT " + first + " UNION ALL SELECT i + 1 FROM k WHERE i < "
                            + (first + n - 1) + ") INSERT INTO orders SELECT i, 'customer ' || (i % 7), (i * 137) % 1000, "
                            + "CASE WHEN i % 4 = 0 THEN NULL ELSE 'order ' || i END, CASE WHEN i % 3 = 0 THEN randomblob(16) END FROM k");
                }
                w.commit(db, timeOf(tx));
                Files.copy(db, plainAt(dir, tx), StandardCopyOption.REPLACE_EXISTING);
                if (tx % 4 == 0) {
                    w.compact(1);
                }
            }
        }
        for (long tx = 1; tx <= 5; tx++) { // retention, and a level-0 gap at 5
            Files.delete(w.levelDir(0).resolve(String.format("%016x-%016x.ltx", tx, tx)));
        }
        // The same replica once more, as a database of the catalog "branches".
        Path copy = dir.resolve("catalog").resolve(CATALOG_DATABASE);
        try (var files = Files.walk(dir.resolve("replica"))) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(dir.resolve("replica").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Path plainAt(Path dir, long txid) {
        return dir.resolve("plain-" + txid + ".db");
    }

    @Override
    public void stop() {
        // Temp files go with the JVM's temp dir; S3Proxy stops with the JVM.
    }
}
