package dev.ltxvfs.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The floor for bench-load.sh: the same random primary-key lookups through plain sqlite-jdbc on a
 * local file, in-process, no HTTP. One connection per thread. Prints requests/s, p50 and p99 (ms).
 *
 * <p>Usage: {@code PlainLookupBench <bench.db> <rows> <threads> <seconds>}
 */
public final class PlainLookupBench {
    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        String db = args[0];
        long rows = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        run(db, rows, threads, 3); // warm: page cache, JIT
        long[][] latencies = run(db, rows, threads, seconds);
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("plain-sqlite-jdbc threads=%d requests=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f%n", threads, all.length,
                all.length / (double) seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
    }

    static long[][] run(String db, long rows, int threads, long seconds) throws Exception {
        long[][] out = new long[threads][];
        Thread[] ts = new Thread[threads];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            int me = t;
            ts[t] = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                        PreparedStatement ps = c.prepareStatement("SELECT * FROM kv WHERE id = ?")) {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        ps.setLong(1, 1 + rnd.nextLong(rows));
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next() || rs.getString(2).isEmpty()) {
                                throw new IllegalStateException("row missing");
                            }
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = System.nanoTime() - now;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                out[me] = Arrays.copyOf(lat, n);
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return out;
    }
}
