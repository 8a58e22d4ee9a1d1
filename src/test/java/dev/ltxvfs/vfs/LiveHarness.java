package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Live-replica test machinery: a served database, a poller thread, reader threads. */
final class LiveHarness {
    static final Duration POLL = Duration.ofMillis(150);

    private LiveHarness() {}

    /** Serves {@code store} as {@code name} through the VFS and waits for its first index. */
    static ReplicaDatabase serve(String name, ReplicaStore store, PageCache cache) throws Exception {
        LitestreamVfs.register();
        ReplicaDatabase db = Ltxvfs.registry().serve(name, name,
                () -> new ReplicaDatabase(name, store, cache, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                Polling.MANUAL);
        db.start().get(60, TimeUnit.SECONDS);
        return db;
    }

    static Connection connect(String name) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:file:" + name + "?vfs=litestream");
    }

    /** Waits (bounded) until {@code condition} holds; fails the test if it never does. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Calls {@link ReplicaDatabase#poll()} every {@link #POLL}, as the service's scheduler does. */
    static final class Poller implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        volatile boolean paused;

        Poller(ReplicaDatabase db) {
            timer.scheduleWithFixedDelay(() -> {
                if (!paused) {
                    try {
                        db.poll().get(60, TimeUnit.SECONDS);
                    } catch (Exception failed) {
                        // kept in lastFailure; retried next tick
                    }
                }
            }, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Threads that run read transactions (BEGIN; the summary; PRAGMA litestream_txid; COMMIT)
     * and check each against the answer the primary recorded for that TXID, and that the TXID a
     * connection sees never goes backwards.
     */
    static final class Readers implements AutoCloseable {
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong transactions = new AtomicLong();
        final Set<Long> txidsSeen = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        Readers(String name, int count, Map<Long, List<String>> answers, String summary) {
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(() -> run(name, answers, summary), "reader-" + i);
                threads.add(t);
                t.start();
            }
        }

        private void run(String name, Map<Long, List<String>> answers, String summary) {
            long last = 0;
            try (Connection c = connect(name); Statement s = c.createStatement()) {
                while (!stop && failures.size() < 10) {
                    s.execute("BEGIN");
                    List<String> got = LitestreamVfsTest.rows(c, summary);
                    long txid = Long.parseLong(LitestreamVfsTest.rows(c, "PRAGMA litestream_txid").getFirst().replace("|", ""), 16);
                    s.execute("COMMIT");
                    transactions.incrementAndGet();
                    txidsSeen.add(txid);
                    List<String> want = answers.get(txid);
                    if (!got.equals(want)) {
                        failures.add("at TXID " + txid + ": got " + got + ", the primary had " + want);
                    }
                    if (txid < last) {
                        failures.add("TXID went back from " + last + " to " + txid);
                    }
                    last = txid;
                }
            } catch (Throwable e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }
}
