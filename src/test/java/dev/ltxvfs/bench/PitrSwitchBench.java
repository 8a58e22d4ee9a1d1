package dev.ltxvfs.bench;

import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Time to switch a connection to a point one hour back, on a replica of three hours of history
 * written like Litestream writes it: 3,000 L0 files 3.6 s apart, L1 every 8 (~30 s), L2 every
 * 84 (~5 min), L3 every 1,000 (~1 h), ~3,400 files, all kept. Measured on a file:// replica and on
 * S3Proxy, for ltxvfs (PRAGMA litestream_time over JDBC, timed around the statement) and the
 * reference (PRAGMA litestream_time in a long-running sqlite3, timed by its {@code .timer}).
 * On S3 every object was uploaded after the history was written, so its LastModified is later
 * than every header time: the worst case for ltxvfs's listing-time shortcut.
 * Usage: PitrSwitchBench [l0Files]
 */
public final class PitrSwitchBench {
    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        int l0 = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Path dir = BenchSupport.tempDir("ltxvfs-pitr");
        Path db = dir.resolve("primary.db");
        ReplicaWriter writer = new ReplicaWriter(dir.resolve("replica"));
        Instant end = Instant.now().minusSeconds(5);
        Instant start = end.minusMillis(3600L * l0);
        long t0 = System.nanoTime();
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            BenchSupport.exec(p, "CREATE TABLE items(id INTEGER PRIMARY KEY, v BLOB)");
            for (int k = 1; k <= l0; k++) {
                BenchSupport.exec(p, "INSERT INTO items VALUES (" + k + ", randomblob(200))");
                writer.commit(db, start.plusMillis(3600L * k));
                if (k % 8 == 0) writer.compact(1);
                if (k % 84 == 0) writer.compact(2);
                if (k % 1000 == 0) writer.compact(3);
            }
        }
        int files = 0;
        for (int level = 0; level <= 9; level++) files += writer.list(level).size();
        System.out.printf("history: %d L0, %d L1, %d L2, %d L3 files (%d in all) over %s, written in %.1f s%n",
                writer.list(0).size(), writer.list(1).size(), writer.list(2).size(), writer.list(3).size(), files,
                Duration.between(start, end), (System.nanoTime() - t0) / 1e9);
        Instant newest = start.plusMillis(3600L * l0);
        List<Instant> targets = List.of(newest.minusSeconds(3600), newest.minusSeconds(3593), newest.minusSeconds(3581));

        String fileUrl = "file://" + writer.dir();
        run("file://", new LocalDirStore(writer.dir()), Map.of("LITESTREAM_REPLICA_URL", fileUrl), targets, dir);

        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("pitr-bench");
        t0 = System.nanoTime();
        int objects = BenchSupport.upload(writer.dir(), s3.client(), bucket, "db");
        System.out.printf("uploaded %d objects to S3Proxy in %.1f s%n", objects, (System.nanoTime() - t0) / 1e9);
        String s3Url = s3.replicaUrl(bucket, "db");
        Map<String, String> env = new HashMap<>(s3.awsEnvironment());
        env.put("LITESTREAM_REPLICA_URL", s3Url);
        run("s3 (S3Proxy)", new S3Store(ReplicaUrl.parse(s3Url), s3.options()), env, targets, dir);
        System.exit(0);
    }

    static void run(String where, ReplicaStore store, Map<String, String> refEnv, List<Instant> targets, Path dir)
            throws Exception {
        String name = "pitr-" + where.replaceAll("[^a-z0-9]", "");
        ReplicaDatabase ours = BenchSupport.serve(name, store);
        List<String> oursAnswers = new ArrayList<>();
        List<String> oursTimes = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + name + "?vfs=litestream")) {
            for (Instant t : targets) {
                long gets = store.stats().gets.sum();
                long lists = store.stats().lists.sum();
                long headers = ours.replica().headerTimesFetched();
                long n0 = System.nanoTime();
                BenchSupport.exec(c, "PRAGMA litestream_time = '" + t + "'");
                double ms = (System.nanoTime() - n0) / 1e6;
                oursTimes.add(String.format("%.0f ms (%d LIST, %d GET of which %d header reads)", ms,
                        store.stats().lists.sum() - lists, store.stats().gets.sum() - gets,
                        ours.replica().headerTimesFetched() - headers));
                oursAnswers.add(BenchSupport.one(c, "SELECT count(*), max(id) FROM items"));
            }
        }
        Ltxvfs.unregister(name); // closes ours
        List<String> refAnswers = new ArrayList<>();
        List<String> refTimes = new ArrayList<>();
        long n0 = System.nanoTime();
        try (RefSqlite ref = new RefSqlite(RefSqlite.extension(), refEnv, dir.resolve(name + "-ref.log"))) {
            ref.run("SELECT count(*) FROM items;");
            System.out.printf("%s: the reference opened in %.0f ms%n", where, (System.nanoTime() - n0) / 1e6);
            for (Instant t : targets) {
                List<String> out = ref.run(".timer on\nPRAGMA litestream_time = '" + t + "';\n.timer off");
                String real = out.stream().filter(l -> l.startsWith("Run Time:")).findFirst()
                        .map(l -> l.replaceAll(".*real ([0-9.]+).*", "$1")).orElse("?");
                refTimes.add(real.equals("?") ? "? " + out : String.format("%.0f ms", Double.parseDouble(real) * 1000));
                refAnswers.add(String.join("", ref.run("SELECT count(*), max(id) FROM items;")));
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            System.out.printf("%s switch to %s: ltxvfs %s -> %s | reference %s -> %s%s%n", where, targets.get(i),
                    oursTimes.get(i), oursAnswers.get(i), refTimes.get(i), refAnswers.get(i),
                    oursAnswers.get(i).equals(refAnswers.get(i)) ? "" : "  ANSWERS DIFFER");
        }
    }

    private PitrSwitchBench() {}
}
