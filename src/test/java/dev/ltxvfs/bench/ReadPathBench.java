package dev.ltxvfs.bench;

import dev.ltxvfs.testing.ReferenceVfs;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.writer.ReplicaWriter;
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
    /** How long each warm query runs, ours and plain alternating, before its timed runs. */
    static final long WARMUP_MS = Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP_MS", "2000"));
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
    /** BENCH_TRACE=1 prints each cold run's GETs after ready with where their time went ({@link ReadPathCold#printTrace}). */
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
        BenchSupport.logAtInfo(); // the cold child too
        if (args.length > 0 && args[0].equals("--cold-ours")) {
            ReadPathCold.coldOurs(args[1], args[2]);
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

    static void run(Path work, boolean warmOnly) throws Exception {
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
                    floors.add(ReadPathFloors.floor(db, url, proxy, delayMs));
                }
                if (selected("index lookup")) {
                    floors.add(ReadPathFloors.chainFloor(url, proxy, delayMs));
                }
            }
            proxy.delay(Duration.ZERO);

            printCold(coldRows);
            floors.forEach(System.out::println);
            if (WARM) {
                printWarm(ReadPathWarm.warm(db, url, ref, env, plainAnswers));
            }
        }
    }

    /** One cold row: ours best of REPS; the reference too, but its slow full scan once, capped. */
    static String[] coldRow(CountingProxy proxy, String url, Map<String, String> env, ReferenceVfs ref, String name,
            String sql, long delayMs, List<String> expected) throws Exception {
        boolean scan = name.startsWith("full scan");
        ReadPathCold.Cold ours = null;
        ReadPathCold.Cold theirs = null;
        for (int rep = 0; rep < REPS; rep++) {
            ReadPathCold.Cold o = ReadPathCold.coldOursProcess(proxy, url, sql, env);
            check("ltxvfs", name, o.answer(), expected);
            System.out.printf("  %s at %d ms, rep %d: %d GETs, %.0f ms after ready%n", name, delayMs, rep + 1,
                    o.counts().objectGets(), o.afterReadyMs());
            ours = ours == null || o.wallMs() < ours.wallMs() ? o : ours; // best of REPS: least noise
            if (REFERENCE && (!scan || rep == 0)) {
                ReadPathCold.Cold r = ReadPathCold.coldReference(proxy, ref, url, sql, env, scan ? REF_SCAN_TIMEOUT_S : 120);
                if (!r.timedOut()) {
                    check("reference", name, r.answer(), expected);
                }
                theirs = theirs == null || r.wallMs() < theirs.wallMs() ? r : theirs;
            }
        }
        System.out.printf("cold %s at %d ms done%n", name, delayMs);
        if (theirs == null) {
            return new String[] {name, Long.toString(delayMs), ms(ours.wallMs()), ms(ours.afterReadyMs()),
                    Long.toString(ours.counts().objectGets()), Long.toString(ours.counts().lists()), mib(ours.counts().bytesDown()),
                    "-", "-", "-", "-", "-", "-"};
        }
        String refWall = theirs.timedOut() ? ">" + ms(theirs.wallMs()) : ms(theirs.wallMs());
        String refGets = (theirs.timedOut() ? ">=" : "") + theirs.counts().objectGets();
        return new String[] {name, Long.toString(delayMs),
                ms(ours.wallMs()), ms(ours.afterReadyMs()), Long.toString(ours.counts().objectGets()), Long.toString(ours.counts().lists()),
                mib(ours.counts().bytesDown()),
                refWall, refGets, Long.toString(theirs.counts().lists()), mib(theirs.counts().bytesDown()),
                (theirs.timedOut() ? "<" : "") + ratio(ours.wallMs(), theirs.wallMs()),
                (theirs.timedOut() ? "<" : "") + ratio(ours.counts().requests(), theirs.counts().requests())};
    }

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

    static long pageCount(Statement s) throws SQLException {
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
        System.out.println("Warm: median of " + WARM_REPS + ", ours and plain alternating, each first in every other pair, after "
                + WARMUP_MS + " ms of the same (reference: " + REFERENCE_WARM_REPS
                + ", full scan 1, after one warming run), on one open connection (ms); plain = sqlite-jdbc on a local copy");
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

    static String head(List<String> l) {
        return l.size() <= 3 ? l.toString() : l.subList(0, 3) + "... (" + l.size() + " rows)";
    }


    static List<String> rows(Connection c, String sql) throws SQLException {
        return dev.ltxvfs.testing.SqlRows.rows(c, sql);
    }

    static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }

    static String ms3(double v) {
        return String.format("%.3f", v);
    }

    static String mib(long bytes) {
        return String.format("%.2f", bytes / 1048576.0);
    }

    static String ratio(double a, double b) {
        return b == 0 ? "-" : String.format("%.2f", a / b);
    }

    private ReadPathBench() {}
}
