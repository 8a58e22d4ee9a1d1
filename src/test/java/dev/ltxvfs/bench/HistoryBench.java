package dev.ltxvfs.bench;

import dev.ltxvfs.index.ReplicaFixture;
import dev.ltxvfs.index.ReplicaHistory;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What one page of {@code GET /v1/databases/{db}/history} costs on a replica with thousands of LTX
 * files in S3Proxy, counted at the wire by the counting proxy at 0 ms and 20 ms per request:
 * the first page (headers not cached), the same page again (cached), a page deep in history, and
 * beside them the anchor, walking the whole history (every moment's header read once, which is
 * what a history without paging, or Litestream's HEAD per object for time restores, costs).
 * Usage: HistoryBench [l0Files] [limit]
 */
public final class HistoryBench {
    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        int l0 = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = BenchSupport.tempDir("ltxvfs-history");
        ReplicaFixture fx = new ReplicaFixture(dir, 4096);
        int files = 0;
        // Litestream's shape: L0 per sync, L1 every 8, L2 every 84, L3 every 1,000, one snapshot.
        for (long t = 1; t <= l0; t++) {
            files += write(fx, 0, t, t);
            if (t % 8 == 0) files += write(fx, 1, t - 7, t);
            if (t % 84 == 0) files += write(fx, 2, t - 83, t);
            if (t % 1000 == 0) files += write(fx, 3, t - 999, t);
        }
        files += write(fx, 9, 1, l0 / 2);
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("history-bench");
        long t0 = System.nanoTime();
        BenchSupport.upload(dir, s3.client(), bucket, "db");
        System.out.printf("replica: %d LTX files (%d L0), uploaded in %.1f s; page size %d moments%n",
                files, l0, (System.nanoTime() - t0) / 1e9, limit);
        System.out.printf("%-8s %-34s %10s %6s %6s%n", "delay", "request", "time", "LIST", "GET");
        for (int delay : new int[] {0, 20}) {
            try (CountingProxy proxy = new CountingProxy(s3.endpoint(), Duration.ofMillis(delay), 0)) {
                String url = "s3://" + bucket + "/db?endpoint=" + proxy.endpoint() + "&forcePathStyle=true";
                try (S3Store store = new S3Store(ReplicaUrl.parse(url), s3.options())) {
                    ReplicaHistory h = new ReplicaHistory(store);
                    measure(delay, "first page (cold headers)", proxy, () -> h.page(Long.MAX_VALUE, limit));
                    measure(delay, "same page again (cached)", proxy, () -> h.page(Long.MAX_VALUE, limit));
                    measure(delay, "a page at the middle (cold)", proxy, () -> h.page(l0 / 2 + 1, limit));
                    ReplicaHistory fresh = new ReplicaHistory(store);
                    measure(delay, "anchor: whole history, every header", proxy, () -> {
                        Long before = Long.MAX_VALUE;
                        ReplicaHistory.Page p = null;
                        while (before != null) {
                            p = fresh.page(before, ReplicaHistory.MAX_LIMIT).await().atMost(Duration.ofMinutes(10));
                            before = p.next();
                        }
                        return io.smallrye.mutiny.Uni.createFrom().item(p);
                    });
                }
            }
        }
        System.exit(0);
    }

    interface Request {
        io.smallrye.mutiny.Uni<ReplicaHistory.Page> run();
    }

    private static final Map<Integer, Double> FIRST = new HashMap<>();

    static void measure(int delay, String what, CountingProxy proxy, Request r) {
        long lists = proxy.lists.sum();
        long gets = proxy.objectGets.sum();
        long t0 = System.nanoTime();
        ReplicaHistory.Page p = r.run().await().atMost(Duration.ofMinutes(10));
        double ms = (System.nanoTime() - t0) / 1e6;
        FIRST.putIfAbsent(delay, ms);
        System.out.printf("%-8s %-34s %7.0f ms %6d %6d   (%d moments in all; x%.1f the first page's time)%n",
                delay + " ms", what, ms, proxy.lists.sum() - lists, proxy.objectGets.sum() - gets, p.total(),
                ms / FIRST.get(delay));
    }

    private static int write(ReplicaFixture fx, int level, long min, long max) throws Exception {
        int commit = 1 + (int) (max % 3);
        Map<Integer, Long> pages = new HashMap<>();
        for (int p = 1; p <= (min == 1 ? commit : 1); p++) {
            pages.put(p, max);
        }
        fx.write(level, min, max, commit, pages);
        return 1;
    }

    private HistoryBench() {}
}
