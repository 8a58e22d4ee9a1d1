package dev.ltxvfs.bench;

import static dev.ltxvfs.bench.ReadPathBench.*;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.testing.ReferenceVfs;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.ReplicaDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link ReadPathBench}'s cold runs: one fresh process per measurement, the reference's sqlite3 or our JVM (the child's side too). */
final class ReadPathCold {
    private ReadPathCold() {}

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
        // The bench's own CPU accounting, loaded while the index is built, not in the timed query:
        // the first look at the OS MXBean loads the JMX classes, tens of ms on a cold JVM.
        cpuMillis();
        if (TRACE) {
            ThreadCpu.now();
        }
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

}
