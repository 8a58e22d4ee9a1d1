package dev.ltxvfs.bench;

import static dev.ltxvfs.bench.ReadPathBench.*;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.ReferenceVfs;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.ReplicaDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link ReadPathBench}'s warm runs: the queries repeated on one open connection, ours, the reference's and plain SQLite's. */
final class ReadPathWarm {
    private ReadPathWarm() {}

    static List<String[]> warm(Path db, String url, ReferenceVfs ref, Map<String, String> env,
            Map<String, List<String>> plainAnswers) throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        LitestreamVfs.register();
        ReplicaDatabase ours = Ltxvfs.registry().serve("bench-warm", url, () -> new ReplicaDatabase("bench-warm",
                ReplicaStores.open(ReplicaUrl.parse(url), s3.options()), new PageCache(512L << 20), Duration.ofSeconds(30),
                Duration.ofSeconds(60)), Polling.MANUAL);
        List<String[]> out = new ArrayList<>();
        try (Connection o = DriverManager.getConnection("jdbc:sqlite:file:bench-warm?vfs=litestream");
                Connection p = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (var q : QUERIES.entrySet()) {
                if (q.getKey().startsWith("open") || !selected(q.getKey())) {
                    continue;
                }
                check("ltxvfs warm", q.getKey(), rows(o, q.getValue()), plainAnswers.get(q.getKey()));
                rows(p, q.getValue());
                double[] medians = medianMs(o, p, q.getValue());
                double oursMs = medians[0];
                double plainMs = medians[1];
                double refMs;
                boolean skipped = "0".equals(System.getenv("BENCH_REFERENCE"));
                try {
                    refMs = skipped ? Double.NaN : referenceWarmMs(ref, url, q.getValue(), env);
                } catch (IllegalStateException e) {
                    refMs = Double.NaN; // over ReferenceVfs's 60 s per process
                }
                System.out.printf("warm %s done%n", q.getKey());
                // The sqlite3 CLI's timer has 1 ms resolution: below that the reference shows "<1".
                String refText = skipped ? "-" : Double.isNaN(refMs) ? "timeout" : refMs == 0 ? "<1" : ms3(refMs);
                out.add(new String[] {q.getKey(), ms3(oursMs), refText, ms3(plainMs),
                        ratio(oursMs, plainMs), Double.isNaN(refMs) || refMs == 0 ? "-" : ratio(refMs, plainMs)});
            }
        }
        return out;
    }

    /**
     * Median times of {@code sql} on {@code ours} and on {@code plain}, run alternately, so the
     * machine's load weighs on both alike, and each going first in every other pair: in one JVM the
     * connection that runs first measured up to 1.3x slower than the same query right after the other's.
     */
    static double[] medianMs(Connection ours, Connection plain, String sql) throws SQLException {
        // Steady state first: without it the first few dozen runs are the JIT's (our VFS callbacks
        // and the bench's row reading run interpreted), not the read path's.
        long until = System.nanoTime() + WARMUP_MS * 1_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < until; i++) {
            timedMs(ours, sql);
            timedMs(plain, sql);
        }
        double[] a = new double[WARM_REPS];
        double[] b = new double[WARM_REPS];
        for (int i = 0; i < WARM_REPS; i++) {
            if (i % 2 == 0) {
                a[i] = timedMs(ours, sql);
                b[i] = timedMs(plain, sql);
            } else {
                b[i] = timedMs(plain, sql);
                a[i] = timedMs(ours, sql);
            }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new double[] {a[WARM_REPS / 2], b[WARM_REPS / 2]};
    }

    private static double timedMs(Connection c, String sql) throws SQLException {
        long s = System.nanoTime();
        rows(c, sql);
        return (System.nanoTime() - s) / 1e6;
    }

    /** One sqlite3 process: the query once to warm, then {@code .timer on} and the query repeated. */
    static double referenceWarmMs(ReferenceVfs ref, String url, String sql, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("LITESTREAM_REPLICA_URL", url);
        // Result rows go to stdout too; only the timer lines are kept.
        StringBuilder script = new StringBuilder(sql + "\n.timer on\n");
        // Its warm full scan costs as much as a cold one: keep the process under ReferenceVfs's 60 s.
        int reps = sql.contains("count(*)") && !sql.contains("WHERE") ? 1 : REFERENCE_WARM_REPS;
        for (int i = 0; i < reps; i++) {
            script.append(sql).append('\n');
        }
        ReferenceVfs.Result r = ref.run(e, script.toString());
        double[] t = r.rows().stream().filter(l -> l.startsWith("Run Time: real "))
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[3]) * 1000).sorted().toArray();
        if (t.length == 0) {
            throw new IllegalStateException("no timings from the reference: " + r.stderr() + " " + r.rows());
        }
        return t[t.length / 2];
    }

}
