package dev.ltxvfs.bench;

import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replica lag: our writer commits to a file:// replica every 0.8-1.4 s (random, so commits fall
 * at every phase of the 1 s polls); ltxvfs (JDBC, LiveReplica polled every 1 s) and the
 * reference extension (one long-running sqlite3 reading via its VFS, which polls every 1 s per
 * connection) each query {@code max(id)} every 50 ms. Lag = first time a reader sees a commit's
 * row minus the time the commit's L0 file appeared. Both sides read the same replica at the
 * same time, so they see the same commits; each reader runs on its own (ours in-process, the
 * reference in its own process). Usage: LagBench [commits]
 */
public final class LagBench {
    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("ltxvfs-lag");
        Path db = dir.resolve("primary.db");
        ReplicaWriter writer = new ReplicaWriter(dir.resolve("replica"));
        long[] committed = new long[commits + 1];
        long[] oursSaw = new long[commits + 1];
        long[] refSaw = new long[commits + 1];
        try (Connection primary = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = primary.createStatement()) {
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v BLOB)");
            s.execute("INSERT INTO items VALUES (0, randomblob(100))");
            writer.commit(db, Instant.now());

            ReplicaDatabase ours = Ltxvfs.register("lag", "file://" + writer.dir());
            ours.start().get(60, TimeUnit.SECONDS);
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
            timer.scheduleAtFixedRate(() -> ours.poll().join(), 1000, 1000, TimeUnit.MILLISECONDS);
            try (RefSqlite ref = new RefSqlite(RefSqlite.extension(),
                    Map.of("LITESTREAM_REPLICA_URL", "file://" + writer.dir()), dir.resolve("ref.log"))) {
                Thread oursReader = Thread.ofPlatform().daemon().start(() -> read(oursSaw, () -> {
                    Connection c = DriverManager.getConnection("jdbc:sqlite:file:lag?vfs=litestream");
                    return () -> {
                        try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("SELECT max(id) FROM items")) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    };
                }));
                Thread refReader = Thread.ofPlatform().daemon().start(() -> read(refSaw,
                        () -> () -> Long.parseLong(ref.run("SELECT max(id) FROM items;").getLast().trim())));
                Random rnd = new Random(1);
                for (int k = 1; k <= commits; k++) {
                    Thread.sleep(800 + rnd.nextInt(600));
                    s.execute("INSERT INTO items VALUES (" + k + ", randomblob(100))");
                    writer.commit(db, Instant.now());
                    committed[k] = System.nanoTime();
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((oursSaw[commits] == 0 || refSaw[commits] == 0) && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                oursReader.interrupt();
                refReader.interrupt();
            }
            timer.shutdownNow();
            report("ltxvfs   ", committed, oursSaw);
            report("reference", committed, refSaw);
            System.out.printf("ltxvfs store requests during the run: %s%n", ours.replica().store().stats());
        }
        Ltxvfs.unregister("lag");
        System.exit(0);
    }

    interface Query {
        long maxId() throws Exception;
    }

    interface Opener {
        Query open() throws Exception;
    }

    /** Queries every 50 ms; records, for every id, the first time max(id) reached it. */
    static void read(long[] saw, Opener opener) {
        try {
            Query q = opener.open();
            int seen = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long max = q.maxId();
                long now = System.nanoTime();
                for (int k = seen + 1; k <= Math.min(max, saw.length - 1); k++) {
                    saw[k] = now;
                }
                seen = (int) Math.max(seen, Math.min(max, saw.length - 1));
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            // done
        } catch (Exception e) {
            System.err.println("reader failed: " + e);
        }
    }

    static void report(String who, long[] committed, long[] saw) {
        double[] lags = new double[committed.length - 1];
        int missing = 0;
        for (int k = 1; k < committed.length; k++) {
            if (saw[k] == 0 || committed[k] == 0) {
                missing++;
                lags[k - 1] = Double.NaN;
            } else {
                lags[k - 1] = Math.max(0, saw[k] - committed[k]) / 1e6;
            }
        }
        double[] ok = Arrays.stream(lags).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (ok.length == 0) {
            System.out.printf("%s lag: no commit seen%n", who);
            return;
        }
        System.out.printf("%s lag over %d commits: median %.0f ms, p90 %.0f ms, worst %.0f ms%s%n", who, ok.length,
                ok[ok.length / 2], ok[(int) (ok.length * 0.9)], ok[ok.length - 1],
                missing > 0 ? " (" + missing + " never seen)" : "");
    }

    private LagBench() {}

}
