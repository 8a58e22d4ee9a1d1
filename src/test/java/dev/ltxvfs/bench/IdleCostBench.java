package dev.ltxvfs.bench;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * S3 requests an idle database costs per minute: a replica in S3Proxy that nobody writes to,
 * read by ltxvfs (one served database, LiveReplica polled every 1 s, one open connection) and by
 * the reference extension (one sqlite3 process, one connection, its built-in 1 s poll), each
 * through its own counting TCP proxy, so both are counted the same way, at the wire.
 * Usage: IdleCostBench [seconds]
 */
public final class IdleCostBench {
    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path dir = BenchSupport.tempDir("ltxvfs-idle");
        Path db = dir.resolve("primary.db");
        ReplicaWriter writer = new ReplicaWriter(dir.resolve("replica"));
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            BenchSupport.exec(p, "CREATE TABLE items(id INTEGER PRIMARY KEY, v BLOB)");
            for (int i = 0; i < 20; i++) {
                BenchSupport.exec(p, "INSERT INTO items VALUES (" + i + ", randomblob(500))");
                writer.commit(db, Instant.now());
            }
        }
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("idle");
        int objects = BenchSupport.upload(writer.dir(), s3.client(), bucket, "db");
        try (CountingProxy oursWire = new CountingProxy(s3.endpoint()); CountingProxy refWire = new CountingProxy(s3.endpoint())) {
            String oursUrl = "s3://" + bucket + "/db?endpoint=" + oursWire.endpoint() + "&forcePathStyle=true";
            ReplicaDatabase ours = BenchSupport.serve("idle", new S3Store(ReplicaUrl.parse(oursUrl), s3.options()));
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
            timer.scheduleAtFixedRate(() -> ours.poll().join(), 1000, 1000, TimeUnit.MILLISECONDS);
            Map<String, String> env = new HashMap<>(s3.awsEnvironment());
            env.put("LITESTREAM_REPLICA_URL",
                    "s3://" + bucket + "/db?endpoint=" + refWire.endpoint() + "&forcePathStyle=true");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:idle?vfs=litestream");
                    RefSqlite ref = new RefSqlite(RefSqlite.extension(), env, dir.resolve("ref.log"))) {
                String a = BenchSupport.one(c, "SELECT count(*), max(id) FROM items");
                String b = String.join("", ref.run("SELECT count(*), max(id) FROM items;"));
                System.out.printf("replica of %d objects; ltxvfs reads %s, reference reads %s%n", objects, a, b);
                Thread.sleep(3000); // past the opening requests
                CountingProxy.Counts o0 = oursWire.snapshot();
                CountingProxy.Counts r0 = refWire.snapshot();
                long polls0 = ours.replica().polls.sum();
                Thread.sleep(seconds * 1000L);
                CountingProxy.Counts o1 = oursWire.snapshot();
                CountingProxy.Counts r1 = refWire.snapshot();
                double minutes = seconds / 60.0;
                System.out.printf("idle for %d s (poll interval 1 s, one connection each)%n", seconds);
                System.out.printf("ltxvfs    at the wire: %s (%d polls); its own metric says %s%n",
                        perMinute(o1.minus(o0), minutes), ours.replica().polls.sum() - polls0,
                        ours.replica().requestsPerMinute());
                System.out.printf("reference at the wire: %s%n", perMinute(r1.minus(r0), minutes));
            }
            timer.shutdownNow();
        }
        System.exit(0);
    }

    private static String perMinute(CountingProxy.Counts c, double minutes) {
        return String.format("LIST %.0f/min, GET %.0f/min, HEAD %.0f/min",
                c.lists() / minutes, c.objectGets() / minutes, c.heads() / minutes);
    }

    private IdleCostBench() {}
}
