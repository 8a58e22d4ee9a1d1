package dev.ltxvfs.bench;

import static dev.ltxvfs.bench.ReadPathBench.*;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexBuilder;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.RestoreTarget;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.S3ProxyServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link ReadPathBench}'s cold figures are measured against: the parallel download of exactly the scanned pages, and a chain of dependent GETs. */
final class ReadPathFloors {
    private ReadPathFloors() {}

    /**
     * The physical floor of the cold full scan: the frames of exactly the pages of the scanned
     * table (dbstat on the local copy), adjacent ones joined into GETs of at most 1 MiB, fetched
     * with up to 32 GETs in flight (readahead's 32 MiB budget in 1 MiB GETs) through the same proxy.
     */
    static String floor(Path db, String url, CountingProxy proxy, long delayMs) throws Exception {
        List<Integer> needed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pageno FROM dbstat WHERE name = 'items' ORDER BY pageno")) {
            while (rs.next()) {
                needed.add(rs.getInt(1));
            }
        }
        try (var store = ReplicaStores.open(ReplicaUrl.parse(url), S3ProxyServer.get().options())) {
            IndexSnapshot snap = new IndexBuilder(store).open(RestoreTarget.LATEST).await().atMost(Duration.ofSeconds(60));
            Map<LtxFileInfo, List<FrameLocation>> byFile = new LinkedHashMap<>();
            long bytes = 0;
            for (int p : needed) {
                FrameLocation f = snap.frame(p);
                if (f != null) {
                    byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f);
                    bytes += f.size();
                }
            }
            List<long[]> ranges = new ArrayList<>(); // file index, offset, length
            List<LtxFileInfo> files = new ArrayList<>(byFile.keySet());
            for (int i = 0; i < files.size(); i++) {
                List<FrameLocation> fs = byFile.get(files.get(i));
                fs.sort(java.util.Comparator.comparingLong(FrameLocation::offset));
                long start = -1;
                long end = -1;
                for (FrameLocation f : fs) {
                    if (start >= 0 && (f.offset() != end || f.end() - start > (1 << 20))) {
                        ranges.add(new long[] {i, start, end - start});
                        start = -1;
                    }
                    if (start < 0) {
                        start = f.offset();
                    }
                    end = f.end();
                }
                ranges.add(new long[] {i, start, end - start});
            }
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
            List<java.util.concurrent.CompletableFuture<byte[]>> all = new ArrayList<>();
            long t = System.nanoTime();
            for (long[] r : ranges) {
                inFlight.acquire();
                var f = store.read(files.get((int) r[0]), r[1], (int) r[2]).subscribeAsCompletionStage();
                f.whenComplete((b, e) -> inFlight.release());
                all.add(f);
            }
            for (var f : all) {
                f.join();
            }
            double ms = (System.nanoTime() - t) / 1e6;
            return String.format("floor of the full scan at %d ms: %d pages of the table, %.1f MiB of frames in %d GETs"
                    + " (adjacent frames joined, <= 1 MiB each, 32 in flight): %.0f ms", delayMs, needed.size(), bytes / 1048576.0,
                    ranges.size(), ms);
        }
    }

    /**
     * The floor of a chain of dependent reads such as the index lookup's: {@link #CHAIN} ranged GETs
     * of 64 KiB (a demand read's run) at pages spread over the database, each issued when the one
     * before has arrived, through the same proxy and store (S3 client) as ours, in this warm JVM
     * (second round of two; the first warms it up).
     */
    static String chainFloor(String url, CountingProxy proxy, long delayMs) throws Exception {
        try (var store = ReplicaStores.open(ReplicaUrl.parse(url), S3ProxyServer.get().options())) {
            IndexSnapshot snap = new IndexBuilder(store).open(RestoreTarget.LATEST).await().atMost(Duration.ofSeconds(60));
            double ms = 0;
            for (int round = 0; round < 2; round++) {
                long t = System.nanoTime();
                for (int i = 0; i < CHAIN; i++) {
                    FrameLocation f = snap.frame(2 + (int) ((long) (snap.commit() - 2) * (2 * i + round) / (2 * CHAIN)));
                    int len = (int) Math.min(PageCache.DEMAND_RUN_BYTES, f.file().size() - f.offset());
                    store.read(f.file(), f.offset(), len).await().atMost(Duration.ofSeconds(30));
                }
                ms = (System.nanoTime() - t) / 1e6;
            }
            return String.format("chain floor at %d ms: %d dependent GETs of 64 KiB through the same proxy and S3 client"
                    + " (warm JVM): %.0f ms, %.1f ms each", delayMs, CHAIN, ms, ms / CHAIN);
        }
    }

    /** Dependent reads of the index lookup with every interior page cached: 7 index leaves + 7 table leaves. */
    static final int CHAIN = 14;

}
