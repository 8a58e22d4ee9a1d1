package dev.ltxvfs.bench;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexBuilder;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.RestoreTarget;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.ReferenceVfs;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The read path side by side with the reference Litestream VFS, on one replica of a 64 MiB
 * database (4 KiB pages) served by S3Proxy on loopback. Not a test: run
 * {@code src/test/scripts/bench-read-path.sh}.
 *
 * <p>Cold: every measurement is a fresh process, for both: the reference is a new sqlite3 with the
 * extension loaded; ltxvfs is a new JVM that calls {@code Ltxvfs.register} and runs the query
 * (its wall time includes JVM start; the time inside the JVM is shown beside it). Requests and
 * bytes are counted by a {@link CountingProxy} both talk to. Warm: the same queries repeated on
 * one open connection, against ltxvfs (warm cache), the reference, and plain SQLite on a local copy.
 */
public final class ReadPathBench {
    static final int PAGE_SIZE = 4096;
    static final long TARGET_BYTES = 64L << 20;
    static final int REPS = Integer.parseInt(System.getenv().getOrDefault("BENCH_REPS", "3"));
    static final long[] DELAYS_MS = delays();
    /** The reference's cold full scan takes minutes at 20 ms per request: run once, killed after this. */
    static final long REF_SCAN_TIMEOUT_S = Long.parseLong(System.getenv().getOrDefault("REF_SCAN_TIMEOUT_S", "60"));
    /** BENCH_WARM_REPS: runs of each warm query per side (20 by default), ours and plain SQLite alternating. */
    static final int WARM_REPS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARM_REPS", "20"));
    /** Fewer for the reference: its small page cache makes a warm full scan fetch the replica again. */
    static final int REFERENCE_WARM_REPS = 5;

    static final Map<String, String> QUERIES = new LinkedHashMap<>();
    /** BENCH_QUERIES: names of the queries to run, cold and warm, comma-separated (all by default). */
    static final List<String> ONLY = Arrays.stream(System.getenv().getOrDefault("BENCH_QUERIES", "").split(","))
            .map(String::trim).filter(x -> !x.isEmpty()).toList();
    /** BENCH_WARM=0 skips the warm table. */
    static final boolean WARM = !"0".equals(System.getenv("BENCH_WARM"));
    /** BENCH_REFERENCE=0 skips the reference's cold runs (ours only, e.g. to repeat ours many times). */
    static final boolean REFERENCE = !"0".equals(System.getenv("BENCH_REFERENCE"));
    /** BENCH_TRACE=1 prints each cold run's GETs after ready with where their time went ({@link #printTrace}). */
    static final boolean TRACE = "1".equals(System.getenv("BENCH_TRACE"));

    /** BENCH_CHILD_OPTS: more JVM options for our cold child, space-separated (e.g. -XX:StartFlightRecording=...). */
    static final List<String> CHILD_OPTS = Arrays.stream(System.getenv().getOrDefault("BENCH_CHILD_OPTS", "").split(" "))
            .filter(x -> !x.isEmpty()).toList();

    static boolean selected(String query) {
        return ONLY.isEmpty() || ONLY.contains(query);
    }

    static {
        // Reads page 1 and the schema: the open is complete (index built) in both implementations.
        QUERIES.put("open + schema", "SELECT count(*) FROM sqlite_schema;");
        QUERIES.put("point lookup", "SELECT id, name, category, length(payload) FROM items WHERE id = 123457;");
        QUERIES.put("1000-row range", "SELECT id, name, category FROM items WHERE id BETWEEN 100000 AND 100999;");
        // Seven rows scattered over the table, found through the index on name.
        StringBuilder names = new StringBuilder();
        for (long id : new long[] {1234, 31000, 62000, 93000, 124000, 155000, 186000}) {
            names.append(names.isEmpty() ? "" : ", ").append("'name-").append(id * 7919 % 1000003).append("'");
        }
        QUERIES.put("index lookup", "SELECT id, category FROM items WHERE name IN (" + names + ") ORDER BY id;");
        QUERIES.put("full scan", "SELECT count(*), sum(category), sum(length(note)), sum(length(payload)) FROM items;");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cold-ours")) {
            coldOurs(args[1], args[2]);
            return;
        }
        Path work = Files.createTempDirectory("ltxvfs-bench");
        try {
            run(work, Arrays.asList(args).contains("--warm-only"));
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // S3Proxy's shutdown hook stops the server
    }

    private static void run(Path work, boolean warmOnly) throws Exception {
        long t = System.nanoTime();
        Path db = work.resolve("bench.db");
        buildDatabase(db);
        Path replica = work.resolve("replica");
        writeReplica(db, replica);
        System.out.printf("database %.1f MiB, replica written in %.1f s%n", Files.size(db) / 1048576.0, secondsSince(t));

        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("bench");
        ReplicaUpload.upload(replica, s3.client(), bucket, "db");
        try (CountingProxy proxy = new CountingProxy(s3.endpoint())) {
            String url = "s3://" + bucket + "/db?endpoint=" + proxy.endpoint() + "&forcePathStyle=true";
            Map<String, String> env = s3.awsEnvironment();
            ReferenceVfs ref = ReferenceVfs.get();

            Map<String, List<String>> plainAnswers = new HashMap<>();
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                for (var q : QUERIES.entrySet()) {
                    plainAnswers.put(q.getKey(), rows(plain, q.getValue()));
                }
            }

            List<String[]> coldRows = new ArrayList<>();
            List<String> floors = new ArrayList<>();
            for (long delayMs : warmOnly ? new long[0] : DELAYS_MS) {
                proxy.delay(Duration.ofMillis(delayMs));
                for (var q : QUERIES.entrySet()) {
                    if (selected(q.getKey())) {
                        coldRows.add(coldRow(proxy, url, env, ref, q.getKey(), q.getValue(), delayMs, plainAnswers.get(q.getKey())));
                    }
                }
                if (selected("full scan")) {
                    floors.add(floor(db, url, proxy, delayMs));
                }
                if (selected("index lookup")) {
                    floors.add(chainFloor(url, proxy, delayMs));
                }
            }
            proxy.delay(Duration.ZERO);

            printCold(coldRows);
            floors.forEach(System.out::println);
            if (WARM) {
                printWarm(warm(db, url, ref, env, plainAnswers));
            }
        }
    }

    /** One cold row: ours best of REPS; the reference too, but its slow full scan once, capped. */
    static String[] coldRow(CountingProxy proxy, String url, Map<String, String> env, ReferenceVfs ref, String name,
            String sql, long delayMs, List<String> expected) throws Exception {
        boolean scan = name.startsWith("full scan");
        Cold ours = null;
        Cold theirs = null;
        for (int rep = 0; rep < REPS; rep++) {
            Cold o = coldOursProcess(proxy, url, sql, env);
            check("ltxvfs", name, o.answer, expected);
            System.out.printf("  %s at %d ms, rep %d: %d GETs, %.0f ms after ready%n", name, delayMs, rep + 1,
                    o.counts.objectGets(), o.afterReadyMs);
            ours = ours == null || o.wallMs < ours.wallMs ? o : ours; // best of REPS: least noise
            if (REFERENCE && (!scan || rep == 0)) {
                Cold r = coldReference(proxy, ref, url, sql, env, scan ? REF_SCAN_TIMEOUT_S : 120);
                if (!r.timedOut()) {
                    check("reference", name, r.answer, expected);
                }
                theirs = theirs == null || r.wallMs < theirs.wallMs ? r : theirs;
            }
        }
        System.out.printf("cold %s at %d ms done%n", name, delayMs);
        if (theirs == null) {
            return new String[] {name, Long.toString(delayMs), ms(ours.wallMs), ms(ours.afterReadyMs),
                    Long.toString(ours.counts.objectGets()), Long.toString(ours.counts.lists()), mib(ours.counts.bytesDown()),
                    "-", "-", "-", "-", "-", "-"};
        }
        String refWall = theirs.timedOut() ? ">" + ms(theirs.wallMs) : ms(theirs.wallMs);
        String refGets = (theirs.timedOut() ? ">=" : "") + theirs.counts.objectGets();
        return new String[] {name, Long.toString(delayMs),
                ms(ours.wallMs), ms(ours.afterReadyMs), Long.toString(ours.counts.objectGets()), Long.toString(ours.counts.lists()),
                mib(ours.counts.bytesDown()),
                refWall, refGets, Long.toString(theirs.counts.lists()), mib(theirs.counts.bytesDown()),
                (theirs.timedOut() ? "<" : "") + ratio(ours.wallMs, theirs.wallMs),
                (theirs.timedOut() ? "<" : "") + ratio(ours.counts.requests(), theirs.counts.requests())};
    }

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

    /** Delays per request the cold runs are repeated at: BENCH_DELAYS_MS, default 0 and 20. */
    static long[] delays() {
        String v = System.getenv().getOrDefault("BENCH_DELAYS_MS", "0,20");
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    }

    // ---- the database and its replica ----

    /** items(id, name, category, note, payload) with an index on name, grown to 64 MiB. */
    static void buildDatabase(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + PAGE_SIZE);
            s.execute("PRAGMA journal_mode=OFF");
            s.execute("PRAGMA synchronous=OFF");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, category INTEGER, note TEXT, payload BLOB)");
            s.execute("CREATE INDEX items_name ON items(name)");
            int next = 1;
            while (pageCount(s) * PAGE_SIZE < TARGET_BYTES) {
                s.execute("WITH RECURSIVE g(i) AS (SELECT " + next + " UNION ALL SELECT i + 1 FROM g WHERE i < " + (next + 9999) + ") "
                        + "INSERT INTO items SELECT i, 'name-' || (i * 7919 % 1000003), i % 53,"
                        + " 'note ' || i || ' ' || substr('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod', 1 + i % 40),"
                        + " randomblob(120 + i % 80) FROM g");
                next += 10000;
            }
        }
    }

    private static long pageCount(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A level-9 snapshot, then 14 transactions of scattered updates compacted as Litestream does:
     * the plan is the snapshot, one file each of levels 3, 2 and 1, and two level-0 files, so the
     * pages of the newest state are spread over six files.
     */
    static void writeReplica(Path db, Path replica) throws Exception {
        ReplicaWriter w = new ReplicaWriter(replica);
        Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
        w.commit(db, t0);
        w.snapshot(db, t0);
        Files.delete(w.list(0).getFirst());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (int k = 1; k <= 14; k++) {
                s.execute("UPDATE items SET category = category + 100 WHERE id % 5003 = " + k);
                w.commit(db, t0.plusSeconds(k));
                if (k == 4) {
                    w.compact(1);
                    w.compact(2);
                    w.compact(3);
                } else if (k == 8) {
                    w.compact(1);
                    w.compact(2);
                } else if (k == 12) {
                    w.compact(1);
                }
            }
        }
    }

    // ---- cold: one fresh process per measurement ----

    /** @param answer null when the process was killed at its time limit (then the counts are a lower bound) */
    record Cold(double wallMs, double afterReadyMs, CountingProxy.Counts counts, List<String> answer) {
        boolean timedOut() {
            return answer == null;
        }
    }

    static Cold coldReference(CountingProxy proxy, ReferenceVfs ref, String url, String sql, Map<String, String> env,
            long timeoutSeconds) {
        Map<String, String> e = new HashMap<>(env);
        e.put("LITESTREAM_REPLICA_URL", url);
        CountingProxy.Counts before = proxy.snapshot();
        long t = System.nanoTime();
        ReferenceVfs.Result r;
        try {
            r = ref.run(e, sql, timeoutSeconds);
        } catch (IllegalStateException timeout) {
            return new Cold(timeoutSeconds * 1000.0, Double.NaN, proxy.snapshot().minus(before), null);
        }
        double wall = (System.nanoTime() - t) / 1e6;
        if (!r.ok()) {
            throw new IllegalStateException("reference failed: " + r.stderr() + " " + r.log());
        }
        return new Cold(wall, Double.NaN, proxy.snapshot().minus(before), r.rows());
    }

    static Cold coldOursProcess(CountingProxy proxy, String url, String sql, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        cmd.addAll(CHILD_OPTS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReadPathBench.class.getName(), "--cold-ours", url, sql));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        pb.environment().keySet().removeIf(k -> k.startsWith("LITESTREAM_"));
        CountingProxy.Counts before = proxy.snapshot();
        long serverCpu = S3ProxyServer.get().cpuMillis();
        long proxyCpu = cpuMillis();
        long t = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ltxvfs child failed: " + out);
        }
        double wall = (System.nanoTime() - t) / 1e6;
        List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n")));
        // The JVM's own lines on stdout (-XX:StartFlightRecording announces its recording there) are not the child's.
        lines.removeIf(l -> l.startsWith("[") && l.contains("][info]["));
        double afterReady = Double.parseDouble(lines.removeFirst().replace("after-ready-ms ", ""));
        String[] window = lines.removeFirst().split(" ");
        // hydrated-ms <ms | NaN> cpu-ms <at ready> <at the answer> <at the end>
        String[] h = lines.removeFirst().split(" ");
        double hydratedMs = Double.parseDouble(h[1]);
        long cpuReady = Long.parseLong(h[3]);
        long cpuAnswer = Long.parseLong(h[4]);
        long cpuEnd = Long.parseLong(h[5]);
        // CPU of the three processes on the machine's cores: the child from ready on, S3Proxy and this
        // JVM (the counting proxy) over the child's whole run.
        System.out.printf("    CPU: child %d ms ready->answer, %d ms in all; S3Proxy %d ms; bench JVM (proxy) %d ms; %s%n",
                cpuAnswer - cpuReady, cpuEnd, S3ProxyServer.get().cpuMillis() - serverCpu, cpuMillis() - proxyCpu,
                Double.isNaN(hydratedMs) ? "not hydrating the whole database"
                        : String.format("hydrated %.0f ms after ready (child CPU ready->hydrated %d ms)", hydratedMs, cpuEnd - cpuReady));
        if (TRACE) {
            printTrace(proxy, Long.parseLong(window[1]), Long.parseLong(window[2]));
        }
        if (lines.size() == 1 && lines.getFirst().isEmpty()) {
            lines.clear();
        }
        return new Cold(wall, afterReady, proxy.snapshot().minus(before), lines);
    }

    /**
     * BENCH_TRACE=1: the object GETs between ready and the answer, as the proxy saw them: when each
     * arrived (ms after ready), the server's time to its first byte beyond the proxy's delay
     * (proxy + S3Proxy), the transfer, and the client's time since the previous GET's last byte
     * (ours: decode, SQLite, the SDK, thread hops). For a query of dependent reads the gaps and the
     * server times add up to 'after ready' minus the delays.
     */
    static void printTrace(CountingProxy proxy, long readyAt, long answeredAt) {
        long delayUs = proxy.delay().toNanos() / 1000;
        List<CountingProxy.Exchange> gets = proxy.objectGets(readyAt, answeredAt);
        long prevEnd = readyAt;
        long server = 0;
        long client = 0;
        long transfer = 0;
        int overlapping = 0;
        for (CountingProxy.Exchange e : gets) {
            long gap = e.arrived - prevEnd;
            long srv = e.firstByte - e.arrived - delayUs;
            long xfer = e.lastByte - e.firstByte;
            System.out.printf("    GET at %7.1f ms: server %5.1f ms beyond the delay, transfer %5.1f ms, %7d bytes,"
                    + " client since the previous GET's end %6.1f ms%n", (e.arrived - readyAt) / 1e3, srv / 1e3, xfer / 1e3,
                    e.bytes, gap / 1e3);
            if (gap >= 0) {
                client += gap;
                server += srv;
                transfer += xfer;
            } else {
                overlapping++;
            }
            prevEnd = Math.max(prevEnd, e.lastByte);
        }
        System.out.printf("    %d GETs after ready (%d overlapping another); on the chain: delay %d x %.0f ms, server %.1f ms,"
                + " transfer %.1f ms, client %.1f ms (+ %.1f ms after the last GET)%n", gets.size(), overlapping,
                gets.size() - overlapping, delayUs / 1e3, server / 1e3, transfer / 1e3, client / 1e3, (answeredAt - prevEnd) / 1e3);
    }

    /** CPU this JVM has used so far, in ms. */
    static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** In the child JVM: the public API, as a user would call it, then one query. */
    static void coldOurs(String url, String sql) throws Exception {
        long t = System.nanoTime();
        ReplicaDatabase db = Ltxvfs.register("bench", url, HydrateMode.parse(System.getenv().getOrDefault("BENCH_HYDRATE", "off")));
        double registered = (System.nanoTime() - t) / 1e6;
        db.start().get();
        // BENCH_SETTLE_MS: a pause between ready and the query, for what reading ahead (hot set,
        // hydration) has done by then; 'after ready' is then timed from the end of the pause.
        Thread.sleep(Long.parseLong(System.getenv().getOrDefault("BENCH_SETTLE_MS", "0")));
        double ready = (System.nanoTime() - t) / 1e6;
        long readyAt = CountingProxy.nowMicros();
        long cpuReady = cpuMillis();
        Map<String, Long> threadsReady = TRACE ? ThreadCpu.now() : null;
        List<String> answer;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:bench?vfs=litestream")) {
            answer = rows(c, sql);
        }
        double inner = (System.nanoTime() - t) / 1e6;
        long answeredAt = CountingProxy.nowMicros();
        long cpuAnswered = cpuMillis();
        if (TRACE) {
            System.err.println("    child CPU ready->answer by thread (ms): " + ThreadCpu.between(threadsReady, ThreadCpu.now()));
        }
        // Hydrating the whole database: when its last page is in, and the CPU this process used until then.
        double hydrated = Double.NaN;
        for (long end = System.nanoTime() + 20_000_000_000L; db.hydrationProgress() > 0 && System.nanoTime() < end; ) {
            if (db.hydrationProgress() >= 100) {
                hydrated = (System.nanoTime() - t) / 1e6 - ready;
                break;
            }
            Thread.sleep(2);
        }
        StringBuilder out = new StringBuilder("after-ready-ms " + (inner - ready) + "\n");
        out.append("window-us ").append(readyAt).append(' ').append(answeredAt).append('\n');
        out.append("hydrated-ms ").append(hydrated).append(" cpu-ms ").append(cpuReady).append(' ').append(cpuAnswered)
                .append(' ').append(cpuMillis()).append('\n');
        // Where the time inside the JVM goes (stderr, shown as the bench runs).
        System.err.printf("  ltxvfs child: register (VFS + S3 client) %.0f ms, index ready %.0f ms, answered %.0f ms"
                + " (hydration %.1f%% then)%n", registered, ready, inner, db.hydrationProgress());
        answer.forEach(l -> out.append(l).append('\n'));
        System.out.print(out);
        System.out.flush();
        // A flight recording (BENCH_CHILD_OPTS) is written when stopped; halt skips the hook that would.
        jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings().forEach(jdk.jfr.Recording::stop);
        Runtime.getRuntime().halt(0); // skip shutdown work: the measurement is over
    }

    // ---- warm: repeated on one connection ----

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
     * machine's load weighs on both alike.
     */
    static double[] medianMs(Connection ours, Connection plain, String sql) throws SQLException {
        double[] a = new double[WARM_REPS];
        double[] b = new double[WARM_REPS];
        for (int i = 0; i < WARM_REPS; i++) {
            long s = System.nanoTime();
            rows(ours, sql);
            a[i] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            rows(plain, sql);
            b[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new double[] {a[WARM_REPS / 2], b[WARM_REPS / 2]};
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

    // ---- output ----

    static void printCold(List<String[]> cold) {
        if (cold.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("Cold: fresh process each (best of " + REPS + "; the reference's full scan once, killed after "
                + REF_SCAN_TIMEOUT_S + " s), replica of a 64 MiB database in S3Proxy on loopback, behind a proxy that holds"
                + " each request for 'delay' ms and counts requests and bytes (response bytes incl. headers). Times in ms;"
                + " 'after ready' = the query alone, after the index is built; wall = whole process");
        String f = "| %-15s | %5s | %9s | %11s | %5s | %5s | %8s | %9s | %7s | %5s | %8s | %9s | %9s |%n";
        System.out.printf(f, "query", "delay", "ours wall", "after ready", "GETs", "LISTs", "MiB", "ref wall", "GETs", "LISTs", "MiB",
                "wall o/r", "reqs o/r");
        System.out.printf(f, "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---");
        for (String[] r : cold) {
            System.out.printf(f, (Object[]) r);
        }
    }

    static void printWarm(List<String[]> warm) {
        System.out.println();
        System.out.println("Warm: median of " + WARM_REPS + ", ours and plain alternating (reference: " + REFERENCE_WARM_REPS
                + ", full scan 1) after one warming run, on one open connection (ms); plain = sqlite-jdbc on a local copy");
        String g = "| %-15s | %10s | %10s | %10s | %12s | %12s |%n";
        System.out.printf(g, "query", "ltxvfs", "reference", "plain", "ltxvfs/plain", "ref/plain");
        System.out.printf(g, "---", "---", "---", "---", "---", "---");
        for (String[] r : warm) {
            System.out.printf(g, (Object[]) r);
        }
    }

    static void check(String who, String query, List<String> got, List<String> expected) {
        if (!got.equals(expected)) {
            throw new IllegalStateException(who + " answered " + query + " wrong: " + head(got) + " vs plain " + head(expected));
        }
    }

    private static String head(List<String> l) {
        return l.size() <= 3 ? l.toString() : l.subList(0, 3) + "... (" + l.size() + " rows)";
    }


    static List<String> rows(Connection c, String sql) throws SQLException {
        return dev.ltxvfs.testing.SqlRows.rows(c, sql);
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }

    private static String ms3(double v) {
        return String.format("%.3f", v);
    }

    private static String mib(long bytes) {
        return String.format("%.2f", bytes / 1048576.0);
    }

    private static String ratio(double a, double b) {
        return b == 0 ? "-" : String.format("%.2f", a / b);
    }

    private ReadPathBench() {}
}
