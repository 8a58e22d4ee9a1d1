package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ForwardingStore;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.testing.SqlRows;
import dev.ltxvfs.testing.Tenants;
import dev.ltxvfs.writer.ReplicaWriter;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A bucket of databases through plain JDBC, served by a catalog: opened on first use, closed when
 * idle or when more than max-open are open, answers right throughout.
 */
class CatalogTest extends CatalogHarness {
    @Test
    void manyReplicasInS3AnswerRightAndCostNothingIdle() throws Exception {
        CatalogStore catalog = s3Catalog();
        serve(catalog, 1000, Duration.ofMinutes(10));
        assertThat(queryMany()).isEmpty();
        assertThat(registry.openCount()).isEqualTo((TENANTS + 2) / 3);

        // Nobody reads: on-demand polling asks nothing, however many poll intervals pass.
        long before = requests(catalog);
        Thread.sleep(POLL.toMillis() * 5);
        assertThat(requests(catalog) - before).isZero();
    }

    @Test
    void manyReplicasInALocalDirectoryAnswerRight() throws Exception {
        CatalogStore catalog = localCatalog();
        serve(catalog, 1000, Duration.ofMinutes(10));
        assertThat(queryMany()).isEmpty();
        long before = requests(catalog);
        Thread.sleep(POLL.toMillis() * 5);
        assertThat(requests(catalog) - before).isZero();
    }

    @Test
    void lessThanMaxOpenStayOpenAndAnswersStayRight() throws Exception {
        serve(localCatalog(), 10, Duration.ofMinutes(10));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                assertThat(query(Tenants.name(i), "SELECT id, name FROM t")).containsExactly(Tenants.answer(i));
                assertThat(registry.openCount()).isLessThanOrEqualTo(10);
            }
        }
        assertThat(queryMany()).isEmpty(); // 8 threads over 67 databases, 10 open at most between queries
        assertThat(registry.openCount()).isLessThanOrEqualTo(10);
    }

    @Test
    void aReadBeforeTheFirstLockKeepsItsDatabaseOpenWhileMaxOpenClosesOthers() throws Exception {
        // SQLite reads the header of page 1 when it opens a file, before its first lock. The first page
        // read of t-000 waits at a gate while t-001 opens: with max-open 1 that closes every catalog
        // database no lease holds, so the waiting read must hold one of its own.
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        registry = new DatabaseRegistry(new PageCache(32 << 20),
                new RegistryLimits(Duration.ofMinutes(10), 1, Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(20)));
        Ltxvfs.use(registry);
        LitestreamVfs.register();
        registry.addCatalog("tenants", localCatalog(), Polling.onDemand(POLL), (name, replica) ->
                new ReplicaDatabase(name, !name.equals(Tenants.name(0)) ? replica : new ForwardingStore(replica) {
                    @Override
                    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
                        boolean pageRead = offset + length < file.size(); // not the index at the tail
                        if (!pageRead || !armed.getAndSet(false)) {
                            return delegate.read(file, offset, length);
                        }
                        waiting.countDown();
                        return Uni.createFrom().completionStage(CompletableFuture.runAsync(() -> {
                            try {
                                open.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        })).chain(() -> delegate.read(file, offset, length));
                    }
                }, registry.cache(), Duration.ofSeconds(20), Duration.ofSeconds(20)));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> first = reader.submit(() -> query(Tenants.name(0), "SELECT id, name FROM t"));
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(query(Tenants.name(1), "SELECT id, name FROM t")).containsExactly(Tenants.answer(1));
            open.countDown();
            assertThat(first.get(20, TimeUnit.SECONDS)).containsExactly(Tenants.answer(0));
        } finally {
            open.countDown();
            reader.shutdown();
        }
    }

    @Test
    void idleDatabasesCloseAndReopenOnTheirNextQuery() throws Exception {
        serve(localCatalog(), 1000, Duration.ofMillis(300));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:t-007?vfs=litestream")) {
            assertThat(SqlRows.rows(c, "SELECT id, name FROM t")).containsExactly(Tenants.answer(7));
            awaitAllClosed();
            // The connection holds a name, not a database: its next read transaction opens it again.
            assertThat(SqlRows.rows(c, "SELECT id, name FROM t")).containsExactly(Tenants.answer(7));
            assertThat(registry.openCount()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionPinnedToATxidKeepsReadingItAfterItsDatabaseClosesAndReopens() throws Exception {
        serve(localCatalog(), 1000, Duration.ofMillis(300));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:t-009?vfs=litestream")) {
            String txid = SqlRows.rows(c, "PRAGMA litestream_txid").get(0);
            assertThat(SqlRows.rows(c, "PRAGMA litestream_txid = '" + txid + "'")).containsExactly(txid);
            awaitAllClosed();
            // The pinned view came from the instance that closed; the table's page was never read.
            assertThat(SqlRows.rows(c, "SELECT id, name FROM t")).containsExactly(Tenants.answer(9));
            assertThat(SqlRows.rows(c, "PRAGMA litestream_txid")).containsExactly(txid);
            awaitAllClosed();
            assertThat(SqlRows.rows(c, "PRAGMA litestream_time = 'latest'")).containsExactly("latest");
            assertThat(SqlRows.rows(c, "SELECT count(*) FROM t")).containsExactly("1");
        }
    }

    private void awaitAllClosed() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.openCount() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(registry.openCount()).isZero();
    }

    @Test
    void aCommitIsVisibleToTheNextQueryAPollIntervalLater() throws Exception {
        Path primary = root.resolve("live.db");
        ReplicaWriter writer = new ReplicaWriter(tenants.dir.resolve("live"));
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + primary); Statement s = p.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS log(n INTEGER)");
            s.execute("INSERT INTO log VALUES (1)");
            writer.commit(primary, Instant.now());
            serve(localCatalog(), 1000, Duration.ofMinutes(10));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:live?vfs=litestream")) {
                assertThat(SqlRows.rows(c, "SELECT count(*) FROM log")).containsExactly("1");
                for (int n = 2; n <= 4; n++) {
                    s.execute("INSERT INTO log VALUES (" + n + ")");
                    writer.commit(primary, Instant.now());
                    Thread.sleep(POLL.toMillis() + 20);
                    assertThat(SqlRows.rows(c, "SELECT count(*) FROM log")).containsExactly(Integer.toString(n));
                    assertThat(SqlRows.rows(c, "PRAGMA litestream_lag")).containsExactly("0");
                }
            }
        } finally {
            deleteTree(tenants.dir.resolve("live"));
        }
    }


    @Test
    void concurrentFirstQueriesShareOneOpen() throws Exception {
        CatalogStore catalog = s3Catalog();
        serve(catalog, 1000, Duration.ofMinutes(10));
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        registry.addListener(new DatabaseRegistry.Listener() {
            @Override
            public void opened(String name, VfsDatabase db) {
                opens.incrementAndGet();
            }

            @Override
            public void closed(String name, VfsDatabase db) {
                // not counted
            }
        });
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<String>>> answers = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            answers.add(pool.submit(() -> {
                start.await();
                return query(Tenants.name(42), "SELECT id, name FROM t");
            }));
        }
        for (Future<List<String>> a : answers) {
            assertThat(a.get()).containsExactly(Tenants.answer(42));
        }
        pool.shutdown();
        assertThat(opens).hasValue(1);
        assertThat(catalog.stats().lists.sum()).as("one probe for eight first queries").isEqualTo(1);
    }

    @Test
    void aLeaseKeepsAnIdleDatabaseOpen() throws Exception {
        serve(localCatalog(), 1000, Duration.ofMillis(200));
        Lease held = registry.acquire(Tenants.name(9));
        Thread.sleep(800);
        assertThat(registry.find(Tenants.name(9))).hasValueSatisfying(s -> assertThat(s.database()).isNotNull());
        held.close();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.openCount() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(registry.openCount()).isZero();
    }

}
