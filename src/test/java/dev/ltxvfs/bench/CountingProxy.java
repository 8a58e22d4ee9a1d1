package dev.ltxvfs.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP pass-through in front of an S3 server that counts what crosses it: requests by kind
 * (object GETs, LISTs, HEADs, others) and the bytes the server sends back (headers included).
 * Both the reference extension and ltxvfs talk to it, so their counts are measured the same way.
 *
 * <p>It can also make loopback behave like a real bucket: a delay held before each request is
 * forwarded (20 ms is about an in-region S3 time to first byte), and a bandwidth cap per
 * connection. Both default to the environment ({@value #DELAY_ENV}, {@value #BANDWIDTH_ENV}) or
 * the system properties {@value #DELAY_PROPERTY} / {@value #BANDWIDTH_PROPERTY}, so every bench
 * picks them up; {@link #delay(Duration)} changes the delay between runs. Shell scripts run it as
 * a process: {@code java -cp target/test-classes dev.ltxvfs.bench.CountingProxy http://127.0.0.1:PORT}
 * prints its own endpoint, then the counts on each line read from stdin and at exit.
 *
 * <p>Bytes pass unchanged (the Host header the client signed stays as it is). Request heads are
 * parsed only to count them; bodies are skipped by Content-Length (readers send none).
 */
final class CountingProxy implements AutoCloseable {
    static final String DELAY_ENV = "BENCH_DELAY_MS";
    static final String DELAY_PROPERTY = "ltxvfs.bench.delay-ms";
    static final String BANDWIDTH_ENV = "BENCH_BANDWIDTH_MIBPS";
    static final String BANDWIDTH_PROPERTY = "ltxvfs.bench.bandwidth-mibps";

    final LongAdder objectGets = new LongAdder();
    final LongAdder lists = new LongAdder();
    final LongAdder heads = new LongAdder();
    final LongAdder others = new LongAdder();
    final LongAdder bytesDown = new LongAdder();
    final LongAdder connections = new LongAdder();
    /** Every request's times, in arrival order per connection (see {@link Exchange}). */
    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile long delayNanos;
    /** Bytes per second each connection may send back; 0 for no cap. */
    private final long bytesPerSecond;

    /** A proxy with the delay and bandwidth cap the environment or system properties set (none by default). */
    CountingProxy(URI upstreamEndpoint) throws IOException {
        this(upstreamEndpoint, Duration.ofMillis(setting(DELAY_PROPERTY, DELAY_ENV)),
                setting(BANDWIDTH_PROPERTY, BANDWIDTH_ENV) << 20);
    }

    /** @param bytesPerSecond per connection, 0 for no cap */
    CountingProxy(URI upstreamEndpoint, Duration delay, long bytesPerSecond) throws IOException {
        this.upstream = new InetSocketAddress(upstreamEndpoint.getHost(), upstreamEndpoint.getPort());
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.delayNanos = delay.toNanos();
        this.bytesPerSecond = bytesPerSecond;
        threads.submit(this::acceptLoop);
    }

    /** A whole number from a system property, else the environment, else 0. */
    static long setting(String property, String env) {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " / " + env + " must be a whole number >= 0, not '" + v + "'");
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Holds each request this long before forwarding it, from now on. */
    void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    record Counts(long objectGets, long lists, long heads, long others, long bytesDown) {
        Counts minus(Counts o) {
            return new Counts(objectGets - o.objectGets, lists - o.lists, heads - o.heads, others - o.others,
                    bytesDown - o.bytesDown);
        }

        long requests() {
            return objectGets + lists + heads + others;
        }
    }

    Counts snapshot() {
        return new Counts(objectGets.sum(), lists.sum(), heads.sum(), others.sum(), bytesDown.sum());
    }

    /**
     * One request on one connection, times in epoch microseconds (comparable with another process's
     * {@link #nowMicros()}): its head arrived, its response's first and last bytes were sent back.
     * HTTP/1.1 without pipelining: a connection's next request comes after the whole response.
     */
    static final class Exchange {
        final boolean objectGet;
        final long arrived;
        volatile long firstByte;
        volatile long lastByte;
        volatile long bytes;

        Exchange(boolean objectGet, long arrived) {
            this.objectGet = objectGet;
            this.arrived = arrived;
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** The object GETs whose heads arrived in {@code [from, to]} (epoch µs), by arrival. */
    List<Exchange> objectGets(long from, long to) {
        List<Exchange> out = new ArrayList<>();
        for (Exchange e : exchanges) {
            if (e.objectGet && e.arrived >= from && e.arrived <= to) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparingLong(e -> e.arrived));
        return out;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.increment();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        Socket up;
        try {
            up = new Socket(upstream.getAddress(), upstream.getPort());
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
        } catch (IOException e) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the server is down: the client sees its connection drop
            }
            return;
        }
        Exchange[] current = new Exchange[1];
        threads.submit(() -> {
            try {
                pumpUp(new BufferedInputStream(client.getInputStream(), 1 << 16), up.getOutputStream(), current);
                up.shutdownOutput();
            } catch (IOException e) {
                // either side hung up; pumpDown closes both
            }
        });
        pumpDown(up, client, current);
    }

    /** Client to server: forwards request heads and bodies, counting each request by kind. */
    private void pumpUp(InputStream in, OutputStream out, Exchange[] current) throws IOException {
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            int last4 = 0;
            boolean complete = false;
            int b;
            while (!complete && (b = in.read()) >= 0) {
                head.write(b);
                last4 = (last4 << 8) | b;
                complete = last4 == 0x0d0a0d0a; // CRLF CRLF ends the head
            }
            if (head.size() == 0) {
                return;
            }
            byte[] h = head.toByteArray();
            long arrived = nowMicros();
            Exchange e = new Exchange(count(new String(h, StandardCharsets.ISO_8859_1)), arrived);
            synchronized (current) {
                current[0] = e;
            }
            exchanges.add(e);
            long delay = delayNanos;
            if (delay > 0) {
                sleep(delay); // the request reaches the server that much later: a longer time to first byte
            }
            out.write(h);
            long body = contentLength(new String(h, StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[8192];
            while (body > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, body));
                if (n < 0) {
                    return;
                }
                out.write(buf, 0, n);
                body -= n;
            }
            out.flush();
            if (!complete) {
                return; // the stream ended inside a head
            }
        }
    }

    /** Counts one request by kind; true for an object GET. */
    private boolean count(String head) {
        String line = head.substring(0, Math.max(0, head.indexOf('\r')));
        String method = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
        switch (method) {
            case "GET" -> {
                String target = line.split(" ").length > 1 ? line.split(" ")[1] : "";
                if (target.contains("list-type=") || target.contains("prefix=") || target.endsWith("/") && !target.contains("?")) {
                    lists.increment();
                } else {
                    objectGets.increment();
                    return true;
                }
            }
            case "HEAD" -> heads.increment();
            default -> others.increment();
        }
        return false;
    }

    private static long contentLength(String head) {
        for (String l : head.split("\r\n")) {
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** Server to client: forwards and counts every byte, no faster than the cap. */
    private void pumpDown(Socket up, Socket client, Exchange[] current) {
        byte[] buf = new byte[1 << 16];
        long start = System.nanoTime();
        long sent = 0;
        try (InputStream in = up.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytesDown.add(n);
                out.write(buf, 0, n);
                out.flush();
                long now = nowMicros();
                Exchange e;
                synchronized (current) {
                    e = current[0];
                }
                if (e != null) {
                    if (e.firstByte == 0) {
                        e.firstByte = now;
                    }
                    e.lastByte = now;
                    e.bytes += n;
                }
                sent += n;
                if (bytesPerSecond > 0) {
                    sleep(sent * 1_000_000_000L / bytesPerSecond - (System.nanoTime() - start));
                }
            }
        } catch (IOException e) {
            // either side hung up
        } finally {
            try {
                client.close();
                up.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleep(long nanos) throws InterruptedIOException {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("proxy closed");
        }
    }

    /**
     * A proxy process for shell scripts: prints its endpoint, then a line of counts for every line
     * read from stdin, and again when stdin ends (then it exits).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CountingProxy http://HOST:PORT   (delay: " + DELAY_ENV + ", cap: " + BANDWIDTH_ENV + ")");
            System.exit(2);
        }
        try (CountingProxy p = new CountingProxy(URI.create(args[0]))) {
            System.out.println(p.endpoint());
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                System.out.println(p.snapshot());
            }
            System.out.println(p.snapshot());
        }
        System.exit(0);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
