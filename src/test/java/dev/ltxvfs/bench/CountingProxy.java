package dev.ltxvfs.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP pass-through in front of an S3 server that counts what crosses it: requests by kind
 * (object GETs, LISTs, HEADs, others) and the bytes the server sends back (headers included).
 * Both the reference extension and ltxvfs talk to it, so their counts are measured the same way.
 *
 * <p>Bytes pass unchanged (the Host header the client signed stays as it is). Request heads are
 * parsed only to count them; bodies are skipped by Content-Length (readers send none).
 */
final class CountingProxy implements AutoCloseable {
    final LongAdder objectGets = new LongAdder();
    final LongAdder lists = new LongAdder();
    final LongAdder heads = new LongAdder();
    final LongAdder others = new LongAdder();
    final LongAdder bytesDown = new LongAdder();
    final LongAdder connections = new LongAdder();

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    CountingProxy(URI upstreamEndpoint) throws IOException {
        this.upstream = new InetSocketAddress(upstreamEndpoint.getHost(), upstreamEndpoint.getPort());
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
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
        threads.submit(() -> {
            try {
                pumpUp(new BufferedInputStream(client.getInputStream(), 1 << 16), up.getOutputStream());
                up.shutdownOutput();
            } catch (IOException e) {
                // either side hung up; pumpDown closes both
            }
        });
        pumpDown(up, client);
    }

    /** Client to server: forwards request heads and bodies, counting each request by kind. */
    private void pumpUp(InputStream in, OutputStream out) throws IOException {
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
            count(new String(h, StandardCharsets.ISO_8859_1));
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

    private void count(String head) {
        String line = head.substring(0, Math.max(0, head.indexOf('\r')));
        String method = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
        switch (method) {
            case "GET" -> {
                String target = line.split(" ").length > 1 ? line.split(" ")[1] : "";
                if (target.contains("list-type=") || target.contains("prefix=") || target.endsWith("/") && !target.contains("?")) {
                    lists.increment();
                } else {
                    objectGets.increment();
                }
            }
            case "HEAD" -> heads.increment();
            default -> others.increment();
        }
    }

    private static long contentLength(String head) {
        for (String l : head.split("\r\n")) {
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** Server to client: forwards and counts every byte. */
    private void pumpDown(Socket up, Socket client) {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = up.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytesDown.add(n);
                out.write(buf, 0, n);
                out.flush();
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

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
