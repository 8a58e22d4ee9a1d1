package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.cache.PageCache;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's contract: one owner per name, leases, attachments closed with the database. */
class DatabaseRegistryTest {
    @TempDir
    static Path dir;
    static Path plain;

    @BeforeAll
    static void file() throws Exception {
        plain = dir.resolve("r.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(x)");
            s.execute("INSERT INTO t VALUES (1), (2)");
        }
    }

    /** A FileDatabase that counts how often it was closed. */
    static final class Counted implements VfsDatabase {
        final FileDatabase inner = new FileDatabase("r", plain, 1);
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public CompletableFuture<Boolean> poll() {
            polls.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public ReplicaView current() throws java.io.IOException {
            return inner.current();
        }

        @Override
        public ReplicaView at(String when) throws java.io.IOException {
            return inner.at(when);
        }

        @Override
        public ReplicaView atTxid(long txid) {
            return inner.atTxid(txid);
        }

        @Override
        public long lagSeconds() {
            return 0;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void servesOneDatabasePerNameAndClosesItWithItsAttachments() throws Exception {
        try (DatabaseRegistry r = new DatabaseRegistry(new PageCache(1 << 20))) {
            List<String> events = new ArrayList<>();
            r.addListener(new DatabaseRegistry.Listener() {
                @Override
                public void opened(String name, VfsDatabase db) {
                    events.add("opened " + name);
                }

                @Override
                public void closed(String name, VfsDatabase db) {
                    events.add("closed " + name);
                }
            });
            Counted db = r.serve("r", "file:///r", Counted::new, Polling.MANUAL);
            AtomicInteger attachmentCloses = new AtomicInteger();
            try (Lease a = r.acquire("r"); Lease b = r.acquire("r")) {
                assertThat(a.database()).isSameAs(db).isSameAs(b.database());
                AutoCloseable first = a.<AutoCloseable>attachment("pool", () -> attachmentCloses::incrementAndGet);
                AutoCloseable second = b.<AutoCloseable>attachment("pool", () -> () -> { });
                assertThat(second).isSameAs(first);
            }
            assertThat(r.find("r")).hasValueSatisfying(s -> assertThat(s.location()).isEqualTo("file:///r"));
            assertThat(r.find("r.db")).isEmpty(); // exact names only; the VFS maps file names
            assertThatThrownBy(() -> r.acquire("nosuch")).isInstanceOf(NoSuchDatabaseException.class)
                    .hasMessageContaining("nosuch");

            r.remove("r");
            assertThat(db.closes).hasValue(1);
            assertThat(attachmentCloses).hasValue(1);
            assertThat(events).containsExactly("opened r", "closed r");
            assertThatThrownBy(() -> r.acquire("r")).isInstanceOf(NoSuchDatabaseException.class);
        }
    }

    @Test
    void aDatabaseServedUntilIdleStopsPollingWhenIdleAndOpensAgainOnItsNextUse() throws Exception {
        RegistryLimits quick = new RegistryLimits(Duration.ofMillis(200), 1000, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        try (DatabaseRegistry r = new DatabaseRegistry(new PageCache(1 << 20), quick)) {
            List<Counted> made = new CopyOnWriteArrayList<>();
            Polling every20ms = Polling.background(Duration.ofMillis(20));
            Counted first = r.serveUntilIdle("idle", "a", () -> {
                Counted c = new Counted();
                made.add(c);
                return c;
            }, every20ms);
            Counted kept = r.serve("kept", "b", Counted::new, every20ms);

            try (Lease held = r.acquire("idle")) {
                Thread.sleep(600); // three idle-closes long: a lease keeps it open
                assertThat(first.closes).hasValue(0);
            }
            awaitUntil(() -> first.closes.get() == 1);
            int pollsAtClose = first.polls.get();
            assertThat(pollsAtClose).isPositive();
            Thread.sleep(200);
            assertThat(first.polls).hasValue(pollsAtClose); // no poll after it closed
            assertThat(r.find("idle")).hasValueSatisfying(s -> assertThat(s.database()).isNull());

            // Still served: the next use opens a new database from the same supplier.
            try (Lease again = r.acquire("idle")) {
                assertThat(again.database()).isNotSameAs(first);
                assertThat(made).hasSize(2);
            }
            // What is served plainly stays open and polled however idle.
            assertThat(kept.closes).hasValue(0);
            int keptPolls = kept.polls.get();
            awaitUntil(() -> kept.polls.get() > keptPolls);
        }
    }

    private static void awaitUntil(BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }

    @Test
    void servingANameAgainClosesTheOldDatabase() {
        try (DatabaseRegistry r = new DatabaseRegistry(new PageCache(1 << 20))) {
            Counted first = r.serve("r", "a", Counted::new, Polling.MANUAL);
            Counted second = r.serve("r", "b", Counted::new, Polling.MANUAL);
            assertThat(first.closes).hasValue(1);
            assertThat(second.closes).hasValue(0);
            assertThat(r.served()).extracting(DatabaseRegistry.Served::location).containsExactly("b");
        }
        // close() closed the rest
    }

    @Test
    void aConnectionKeepsWorkingWhileItsNameIsServedAgain() throws Exception {
        DatabaseRegistry r = Ltxvfs.registry();
        LitestreamVfs.register();
        r.serve("again", "a", Counted::new, Polling.MANUAL);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:again?vfs=litestream")) {
            assertThat(LitestreamVfsTest.rows(c, "SELECT sum(x) FROM t")).containsExactly("3|");
            // The connection holds a name: each read transaction leases whatever serves it now.
            r.serve("again", "b", Counted::new, Polling.MANUAL);
            assertThat(LitestreamVfsTest.rows(c, "SELECT count(*) FROM t")).containsExactly("2|");
        } finally {
            r.remove("again");
        }
    }
}
