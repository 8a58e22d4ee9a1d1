package dev.ltxvfs.bench;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.testing.SqlRows;
import dev.ltxvfs.testing.Tenants;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.RegistryLimits;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A bucket of databases: {@code tenants} tiny replicas under one prefix in S3Proxy, behind the
 * counting proxy at {@code delayMs} per request, served by one catalog (on-demand polling, 1 s).
 * <ol>
 * <li>cold: time to the first answer from never-opened databases, with the requests it took;
 * <li>idle: requests per idle minute with {@code idleOpen} databases open, for the process and per database;
 * <li>memory: heap (after GC) and resident memory per open database;
 * <li>soak: {@code readers} threads query random databases for {@code soakSeconds} while a writer
 *     appends to a few, max-open {@code maxOpen}: wrong answers, errors by kind, and every 5 s the
 *     open databases, heap after GC, threads and file handles (CSV for the plot).
 * </ol>
 * Usage: BucketBench tenants delayMs idleSeconds soakSeconds maxOpen readers outDir
 */
public final class BucketBench {
    static final Duration POLL = Duration.ofSeconds(1);
    static final int HOT = 10;

    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        int tenants = Integer.parseInt(args[0]);
        int delayMs = Integer.parseInt(args[1]);
        int idleSeconds = Integer.parseInt(args[2]);
        int soakSeconds = Integer.parseInt(args[3]);
        int maxOpen = Integer.parseInt(args[4]);
        int readers = Integer.parseInt(args[5]);
        Path out = Files.createDirectories(Path.of(args[6]));

        long t0 = System.nanoTime();
        Path root = BenchSupport.tempDir("ltxvfs-bucket");
        Tenants all = Tenants.write(root, tenants);
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("bucket");
        all.upload(s3.client(), bucket, "tenants");
        System.out.printf("%d replicas written and uploaded under s3://%s/tenants in %.0f s%n", tenants, bucket,
                (System.nanoTime() - t0) / 1e9);
        LitestreamVfs.register();

        try (CountingProxy wire = new CountingProxy(s3.endpoint(), Duration.ofMillis(delayMs), 0)) {
            String url = "s3://" + bucket + "/tenants?endpoint=" + wire.endpoint() + "&forcePathStyle=true&region=us-east-1";
            // ---- cold, idle, memory: max-open above the working set ----
            DatabaseRegistry r = registry(url, s3, tenants);
            cold(r, wire, tenants, delayMs);
            int idleOpen = Math.min(200, tenants);
            openMany(idleOpen);
            idle(r, wire, idleSeconds, idleOpen);
            memory(r, tenants);
            r.close();
            // ---- soak: max-open below the working set ----
            DatabaseRegistry soak = registry(url, s3, maxOpen);
            soak(soak, wire, all, s3, bucket, tenants, soakSeconds, readers, maxOpen, out);
            soak.close();
        }
        System.exit(0);
    }

    static DatabaseRegistry registry(String url, S3ProxyServer s3, int maxOpen) {
        DatabaseRegistry r = new DatabaseRegistry(new PageCache(256L << 20), new RegistryLimits(Duration.ofMinutes(10),
                maxOpen, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60)));
        Ltxvfs.use(r);
        r.addCatalog("tenants", CatalogStore.open(ReplicaUrl.parse(url), s3.options()), Polling.onDemand(POLL),
                (name, store) -> new ReplicaDatabase(name, store, r.cache(), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        return r;
    }

    static String ask(int i) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + Tenants.name(i) + "?vfs=litestream")) {
            return String.join(";", SqlRows.rows(c, "SELECT id, name FROM t LIMIT 1"));
        }
    }

    static void cold(DatabaseRegistry r, CountingProxy wire, int tenants, int delayMs) throws Exception {
        System.out.printf("%n== cold: first answer from a never-opened database (%d ms per request at the proxy)%n", delayMs);
        List<Double> times = new ArrayList<>();
        // Seven never-opened tenants spread over the bucket, from its end (any TENANTS >= 1).
        int samples = Math.min(7, tenants);
        for (int k = 0; k < samples; k++) {
            int i = tenants - 1 - k * (tenants / samples);
            CountingProxy.Counts before = wire.snapshot();
            long n0 = System.nanoTime();
            String got = ask(i);
            double ms = (System.nanoTime() - n0) / 1e6;
            CountingProxy.Counts d = wire.snapshot().minus(before);
            times.add(ms);
            System.out.printf("  %s: %.0f ms (%.1f x the %d ms delay), %d LIST + %d GET%s%n", Tenants.name(i), ms,
                    ms / Math.max(1, delayMs), delayMs, d.lists(), d.objectGets(), got.equals(Tenants.answer(i)) ? "" : "  WRONG: " + got);
        }
        times.sort(null);
        System.out.printf("  median %.0f ms%n", times.get(times.size() / 2));
    }

    static void openMany(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            if (!ask(i).equals(Tenants.answer(i))) {
                System.out.println("  WRONG answer from " + Tenants.name(i));
            }
        }
    }

    static void idle(DatabaseRegistry r, CountingProxy wire, int seconds, int open) throws Exception {
        System.out.printf("%n== idle: %d databases open, nobody reads, %d s%n", r.openCount(), seconds);
        Thread.sleep(2000);
        CountingProxy.Counts before = wire.snapshot();
        Thread.sleep(seconds * 1000L);
        CountingProxy.Counts d = wire.snapshot().minus(before);
        double minutes = seconds / 60.0;
        System.out.printf("  whole process: %.1f requests per idle minute (LIST %d, GET %d, HEAD %d, other %d)%n",
                d.requests() / minutes, d.lists(), d.objectGets(), d.heads(), d.others());
        System.out.printf("  per open database: %.2f requests per idle minute%n", d.requests() / minutes / open);
        System.out.println("  reference (README, bench-live.sh idle): 120 LIST per minute per connection; "
                + "ltxvfs with background polling: 60 LIST per minute per database");
    }

    static void memory(DatabaseRegistry r, int tenants) throws Exception {
        int n = Math.min(500, tenants);
        System.out.printf("%n== memory: heap after GC and resident memory, from %d to %d open databases%n", r.openCount(), n);
        long heap0 = heapAfterFullGc();
        long rss0 = rss();
        int open0 = r.openCount();
        openMany(n);
        int opened = r.openCount() - open0;
        long heap1 = heapAfterFullGc();
        long rss1 = rss();
        System.out.printf("  %d more open: heap +%.1f KiB per database, resident +%.1f KiB per database (heap included)%n",
                opened, (heap1 - heap0) / 1024.0 / opened, (rss1 - rss0) / 1024.0 / opened);
    }

    static long heapAfterFullGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap in use after the last collection, summed over the heap pools (no GC forced). */
    static long heapAfterLastGc() {
        long n = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                n += p.getCollectionUsage().getUsed();
            }
        }
        return n;
    }

    static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    static long fds() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static void soak(DatabaseRegistry r, CountingProxy wire, Tenants all, S3ProxyServer s3, String bucket, int tenants,
            int seconds, int readers, int maxOpen, Path out) throws Exception {
        System.out.printf("%n== soak: %d readers over %d databases, a writer appending to %d of them, max-open %d, %d s%n",
                readers, tenants, HOT, maxOpen, seconds);
        // The writer: rows appended to t in HOT tenants, each commit's new level-0 file put in the bucket.
        AtomicLongArray committed = new AtomicLongArray(HOT); // rows of t in bucket, per hot tenant
        Map<Integer, ReplicaWriter> writers = new TreeMap<>();
        for (int h = 0; h < HOT; h++) {
            committed.set(h, 1);
            writers.put(h, new ReplicaWriter(all.dir.resolve(Tenants.name(h))));
        }
        LongAdder queries = new LongAdder();
        LongAdder wrong = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<String> wrongSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong commits = new AtomicLong();

        Thread writer = Thread.ofPlatform().name("soak-writer").start(() -> {
            Path primaries = all.dir.getParent().resolve("primaries");
            while (System.nanoTime() < end) {
                int h = ThreadLocalRandom.current().nextInt(HOT);
                try {
                    Path db = primaries.resolve(Tenants.name(h) + ".db");
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                        s.execute("INSERT INTO t VALUES (" + h + ", '" + Tenants.name(h) + "')");
                    }
                    ReplicaWriter w = writers.get(h);
                    Path f = w.commit(db, Instant.now());
                    if (f != null) {
                        String key = "tenants/" + Tenants.name(h) + "/0000/" + f.getFileName();
                        String ts = ReplicaUpload.rfc3339Nano(ReplicaUpload.headerTimestamp(f));
                        s3.client().putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("litestream-timestamp", ts)),
                                RequestBody.fromFile(f));
                        committed.incrementAndGet(h);
                        commits.incrementAndGet();
                    }
                    Thread.sleep(200);
                } catch (Exception e) {
                    errors.computeIfAbsent("writer: " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                }
            }
        });

        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < readers; k++) {
            threads.add(Thread.ofPlatform().name("soak-reader-" + k).start(() -> {
                while (System.nanoTime() < end) {
                    int i = ThreadLocalRandom.current().nextInt(tenants);
                    long atLeast = 1;
                    long atMost = i < HOT ? committed.get(i) : 1;
                    LitestreamVfs.clearLastFailure();
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + Tenants.name(i) + "?vfs=litestream")) {
                        List<String> rows = SqlRows.rows(c, "SELECT min(id), max(id), min(name), max(name), count(*) FROM t");
                        long upper = i < HOT ? committed.get(i) : 1;
                        String want = i + "|" + i + "|" + Tenants.name(i) + "|" + Tenants.name(i) + "|";
                        String got = rows.isEmpty() ? "" : rows.getFirst();
                        long count = got.startsWith(want) ? Long.parseLong(got.substring(want.length())) : -1;
                        if (count < atLeast || count > Math.max(atMost, upper)) {
                            wrong.increment();
                            if (wrongSamples.size() < 10) {
                                wrongSamples.add(Tenants.name(i) + ": " + got + " (committed " + atMost + ".." + upper + ")");
                            }
                        }
                        queries.increment();
                    } catch (SQLException e) {
                        // SQLite passes only a code; the VFS keeps the cause on this thread.
                        String m = LitestreamVfs.takeLastFailure().map(t -> e.getMessage() + " <- " + t.getMessage())
                                .orElse(String.valueOf(e.getMessage()));
                        errors.computeIfAbsent(m.length() > 200 ? m.substring(0, 200) : m, x -> new LongAdder()).increment();
                    }
                }
            }));
        }

        long started = System.nanoTime();
        int threads0 = Thread.activeCount();
        long fds0 = fds();
        long threadsWarm = -1;
        long fdsWarm = -1;
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("soak.csv")))) {
            csv.println("seconds,open,heap_after_gc_mib,threads,fds,queries,requests");
            while (System.nanoTime() < end) {
                long s = (System.nanoTime() - started) / 1_000_000_000L;
                if (threadsWarm < 0 && s >= 10) {
                    threadsWarm = Thread.activeCount();
                    fdsWarm = fds();
                }
                csv.printf("%d,%d,%.1f,%d,%d,%d,%d%n", s, r.openCount(), heapAfterLastGc() / 1048576.0,
                        Thread.activeCount(), fds(), queries.sum(), wire.snapshot().requests());
                csv.flush();
                Thread.sleep(5000);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        writer.join();
        Thread.sleep(1000);
        System.out.printf("  %d queries (%.0f/s), %d commits by the writer%n", queries.sum(), queries.sum() / (double) seconds,
                commits.get());
        System.out.printf("  wrong answers: %d%s%n", wrong.sum(), wrongSamples.isEmpty() ? "" : " e.g. " + wrongSamples);
        System.out.printf("  errors by kind: %s%n", errors.isEmpty() ? "none" : new TreeMap<>(errors));
        System.out.printf("  open databases at the end: %d (max-open %d)%n", r.openCount(), maxOpen);
        System.out.printf("  threads: %d before the soak, %d at 10 s, %d at the end; file handles: %d before, %d at 10 s, %d at the end%n",
                threads0, threadsWarm, Thread.activeCount(), fds0, fdsWarm, fds());
        System.out.printf("  heap after GC: see %s (every 5 s)%n", out.resolve("soak.csv"));
    }

    private BucketBench() {}
}
