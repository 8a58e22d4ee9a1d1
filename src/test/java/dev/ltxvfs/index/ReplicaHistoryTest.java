package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history of real replicas, a page at a time: a page reads the headers of its own moments
 * (plus the oldest and newest), never every header, even with 10,000 LTX files.
 */
class ReplicaHistoryTest {
    static final int BIG_TXIDS = 10_000;

    @TempDir
    static Path dir;
    static Path big;
    static Path small;

    @BeforeAll
    static void writeReplicas() throws IOException {
        // 10,000 L0 files (no retention), L1 every 100, L2 every 1,000, a snapshot at 5,000: 10,111
        // files. Each holds page 1 only (a snapshot every page): sizes come from the header.
        big = dir.resolve("big");
        ReplicaFixture fx = new ReplicaFixture(big, IndexBuilderTest.PAGE);
        for (long t = 1; t <= BIG_TXIDS; t++) {
            fx.write(0, t, t, commitAt(t), pages(t, t));
            if (t % 100 == 0) {
                fx.write(1, t - 99, t, commitAt(t), pages(t - 99, t));
            }
            if (t % 1000 == 0) {
                fx.write(2, t - 999, t, commitAt(t), pages(t - 999, t));
            }
        }
        fx.write(9, 1, 5000, commitAt(5000), pages(1, 5000));
        // Litestream's shape after retention: L0 only from 101, L1 every 10, a snapshot at 60.
        History h = new History(5, 130, 20);
        small = dir.resolve("small");
        ReplicaFixture s = new ReplicaFixture(small, IndexBuilderTest.PAGE);
        for (long t = 101; t <= 130; t++) {
            s.write(h, 0, t, t);
        }
        for (long t = 1; t <= 120; t += 10) {
            s.write(h, 1, t, t + 9);
        }
        s.write(h, 9, 1, 60);
    }

    static int commitAt(long txid) {
        return 1 + (int) (txid % 5);
    }

    /** Page 1 at version {@code max}; a file starting at TXID 1 is a snapshot and holds every page. */
    static Map<Integer, Long> pages(long min, long max) {
        Map<Integer, Long> out = new HashMap<>();
        for (int p = 1; p <= (min == 1 ? commitAt(max) : 1); p++) {
            out.put(p, max);
        }
        return out;
    }

    static ReplicaHistory.Page page(ReplicaHistory h, long before, int limit) {
        return h.page(before, limit).await().atMost(IndexBuilderTest.WAIT);
    }

    @Test
    void aPageOfTenThousandFilesReadsOnlyItsOwnHeaders() {
        try (LocalDirStore store = new LocalDirStore(big)) {
            ReplicaHistory h = new ReplicaHistory(store);
            ReplicaHistory.Page p = page(h, Long.MAX_VALUE, 50);
            assertThat(p.total()).isEqualTo(BIG_TXIDS);
            assertThat(p.moments()).hasSize(50);
            assertThat(p.moments().getFirst().txid()).isEqualTo(BIG_TXIDS);
            assertThat(p.moments().getLast().txid()).isEqualTo(BIG_TXIDS - 49);
            assertThat(p.next()).isEqualTo(BIG_TXIDS - 49);
            assertThat(h.headersRead()).as("50 moments + the oldest").isEqualTo(51);
            assertThat(store.stats().lists.sum()).as("one listing of every level").isEqualTo(1);
            for (ReplicaHistory.Moment m : p.moments()) {
                assertThat(m.exact()).isTrue();
                assertThat(m.pageCount()).isEqualTo(commitAt(m.txid()));
                assertThat(m.time()).isEqualTo(ReplicaFixture.timeOf(m.txid()));
            }
            assertThat(p.moments().get(0).levels()).containsExactly(0, 1, 2);
            assertThat(p.moments().get(0).level()).as("the L2 file lands on 10,000").isEqualTo(2);
            assertThat(p.oldest().txid()).isEqualTo(1);
            assertThat(p.newest()).isEqualTo(p.moments().getFirst());

            // The same page again costs only the listings: headers are immutable and cached.
            page(h, Long.MAX_VALUE, 50);
            assertThat(h.headersRead()).isEqualTo(51);
            // Deep in history: again only that page's headers.
            ReplicaHistory.Page deep = page(h, 5001, 20);
            assertThat(deep.moments()).extracting(ReplicaHistory.Moment::txid).startsWith(5000L, 4999L);
            assertThat(deep.moments().getFirst().level()).isEqualTo(9);
            assertThat(h.headersRead()).isEqualTo(71);
        }
    }

    @Test
    void pagesWalkTheWholeHistoryNewestFirst() {
        try (LocalDirStore store = new LocalDirStore(small)) {
            List<ReplicaHistory.Moment> all = walk(new ReplicaHistory(store), 7);
            // 10, 20, ..., 120 (L1) and 60 (snapshot) are exact; L0 101..130 too once 100 is reached.
            assertThat(all).extracting(ReplicaHistory.Moment::txid).containsExactlyElementsOf(expectedSmall());
            assertThat(all).allMatch(ReplicaHistory.Moment::exact);
            assertThat(all.getLast().txid()).isEqualTo(10);
        }
    }

    @Test
    void onS3APageCostsTheListingsAndItsHeaders() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("history");
        ReplicaUpload.upload(small, s3.client(), bucket, "db");
        try (ReplicaStore store = new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")), s3.options());
                LocalDirStore local = new LocalDirStore(small)) {
            ReplicaHistory h = new ReplicaHistory(store);
            long lists = store.stats().lists.sum();
            long gets = store.stats().gets.sum();
            ReplicaHistory.Page p = page(h, Long.MAX_VALUE, 10);
            assertThat(store.stats().lists.sum() - lists).as("one LIST of every level").isEqualTo(1);
            assertThat(store.stats().gets.sum() - gets).as("10 moments + the oldest").isEqualTo(11);
            // Same moments, times and sizes as the local copy: times come from headers, not LastModified.
            assertThat(p).isEqualTo(page(new ReplicaHistory(local), Long.MAX_VALUE, 10));
            assertThat(walk(h, 25)).extracting(ReplicaHistory.Moment::txid).containsExactlyElementsOf(expectedSmall());
        }
    }

    static List<Long> expectedSmall() {
        List<Long> out = new ArrayList<>();
        for (long t = 130; t >= 101; t--) {
            out.add(t);
        }
        for (long t = 100; t >= 10; t -= 10) {
            out.add(t);
        }
        return out;
    }

    static List<ReplicaHistory.Moment> walk(ReplicaHistory h, int limit) {
        List<ReplicaHistory.Moment> all = new ArrayList<>();
        Long before = Long.MAX_VALUE;
        while (before != null) {
            ReplicaHistory.Page p = page(h, before, limit);
            assertThat(p.moments().size()).isLessThanOrEqualTo(limit);
            all.addAll(p.moments());
            before = p.next();
        }
        return all;
    }
}
