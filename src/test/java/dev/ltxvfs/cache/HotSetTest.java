package dev.ltxvfs.cache;

import static dev.ltxvfs.cache.PageCacheTest.WAIT;
import static dev.ltxvfs.cache.PageCacheTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hot set of a real SQLite database (1 KiB pages, so its b-trees are three levels deep) read from its replica. */
class HotSetTest {
    @TempDir
    Path dir;

    Path db;
    LocalDirStore local;
    /** Page numbers of interior and of leaf pages, as SQLite's dbstat sees them. */
    final List<Integer> interior = new ArrayList<>();
    final List<Integer> leaves = new ArrayList<>();
    int trees;

    @BeforeEach
    void database() throws Exception {
        db = dir.resolve("hot.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, payload BLOB)");
            s.execute("CREATE INDEX items_name ON items(name)");
            s.execute("CREATE TABLE small(k TEXT PRIMARY KEY, v) WITHOUT ROWID");
            s.execute("CREATE VIEW names AS SELECT name FROM items");
            s.execute("INSERT INTO small VALUES ('a', 1), ('b', 2)");
            s.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000) "
                    + "INSERT INTO items SELECT i, 'name-' || (i * 7919 % 100003), randomblob(150) FROM g");
            try (ResultSet rs = s.executeQuery("SELECT pageno, pagetype FROM dbstat WHERE pagetype IN ('internal', 'leaf')")) {
                while (rs.next()) {
                    (rs.getString(2).equals("internal") ? interior : leaves).add(rs.getInt(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE rootpage > 0")) {
                rs.next();
                trees = rs.getInt(1) + 1; // and sqlite_schema itself
            }
        }
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        w.commit(db, Instant.parse("2026-06-01T00:00:00Z"));
        local = new LocalDirStore(w.dir());
    }

    @Test
    void theInteriorPagesOfEveryTreeAreReadAndAlmostNoLeaves() throws Exception {
        IndexSnapshot s = open(local);
        RecordingStore store = new RecordingStore(local);
        PageCache cache = new PageCache(64L << 20);
        StoreHandle handle = cache.register(store);
        HotSet hot = new HotSet(cache, handle, s, WAIT.toNanos(), () -> false);

        List<Integer> roots = hot.schema();
        assertThat(roots).hasSize(trees - 1); // items, items_name, small's primary key; not the view
        int asked = hot.trees(roots, 1L << 20);

        assertThat(interior).hasSizeGreaterThan(20); // three levels deep: root, interior level, leaves
        for (int p : interior) {
            assertThat(cache.holds(handle, s.frame(p))).as("interior page %d", p).isTrue();
        }
        long leavesCached = leaves.stream().filter(p -> cache.holds(handle, s.frame(p))).count();
        // Page 1's run of adjacent frames (the first query's own read), and one probe per tree per level.
        assertThat(leavesCached).isLessThanOrEqualTo(PageCache.DEMAND_RUN_BYTES / 1024 + 2L * trees);
        assertThat(asked).isLessThan(interior.size() + 3 * trees);
        // At most one GET per page asked for, and none of those 1 KiB reads spans a run of leaves.
        assertThat(store.reads).hasSizeLessThanOrEqualTo(asked + 1);
        assertThat(store.reads.subList(1, store.reads.size())).allSatisfy(len -> assertThat(len).isLessThan(HotSet.MAX_GAP + 2048));
    }

    @Test
    void theHotSetIsBoundedInBytes() throws Exception {
        IndexSnapshot s = open(local);
        RecordingStore store = new RecordingStore(local);
        PageCache cache = new PageCache(64L << 20);
        HotSet hot = new HotSet(cache, cache.register(store), s, WAIT.toNanos(), () -> false);
        long budget = 8 * 1024;
        assertThat(hot.trees(hot.schema(), budget)).isLessThanOrEqualTo((int) (budget / 1024) + trees);
        assertThat(store.reads.stream().mapToLong(Integer::longValue).sum()).isLessThan(PageCache.DEMAND_RUN_BYTES + 64 * 1024);
    }

    @Test
    void garbageParsesAsNoPagesNeverAnException() {
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] page = new byte[512];
            r.nextBytes(page);
            page[i % 2 == 0 ? 0 : 100] = (byte) new int[] {2, 5, 13}[i % 3]; // claim to be a b-tree page
            for (int pgno : new int[] {1, 2}) {
                assertThat(BtreePage.children(page, pgno, 1000)).allSatisfy(c -> assertThat(c).isBetween(1, 1000));
                assertThat(BtreePage.schemaRoots(page, pgno, 512, 1000)).allSatisfy(c -> assertThat(c).isBetween(1, 1000));
            }
        }
    }

    @Test
    void pageOneAndTheSchemaAreReadAsTheFirstQueryWouldWhichThenJoinsThem() throws Exception {
        IndexSnapshot s = open(local);
        RecordingStore store = new RecordingStore(local);
        PageCache cache = new PageCache(64L << 20);
        ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
        store.hold(len -> true); // the schema read stays in flight
        pages.hydrate(() -> s, HydrateMode.OFF);
        while (store.reads.isEmpty()) {
            Thread.onSpinWait();
        }
        Thread.sleep(50); // nothing else is read with hydration off
        assertThat(store.reads).hasSize(1);
        var query = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return pages.page(s, 1, pages.newStream());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(50);
        store.release();
        assertThat(query.get()[100]).isEqualTo((byte) 13); // a table leaf: the whole schema is on page 1
        assertThat(store.reads).hasSize(1); // the query joined the read under way
    }
}
