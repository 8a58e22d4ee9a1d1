package dev.ltxvfs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP forwarder in front of S3Proxy that counts the S3 requests passing through: it reads the
 * request line of every HTTP/1.1 request the client sends (reads carry no body, so request lines
 * are found by scanning the client's bytes) and forwards the bytes untouched, so SigV4 still
 * matches. Counts LIST (GET with list-type/prefix), GET of an object, and HEAD.
 */
final class CountingProxy implements AutoCloseable {
    final LongAdder lists = new LongAdder();
    final LongAdder gets = new LongAdder();
    final LongAdder heads = new LongAdder();
    final LongAdder other = new LongAdder();
    private final ServerSocket server;
    private final int targetPort;

    CountingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    long[] snapshot() {
        return new long[] {lists.sum(), gets.sum(), heads.sum()};
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean count) {
        StringBuilder line = new StringBuilder();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (count) {
                    for (int i = 0; i < n; i++) {
                        char c = (char) (buf[i] & 0xff);
                        if (c == '\n') {
                            classify(line.toString().trim());
                            line.setLength(0);
                        } else if (line.length() < 4096) {
                            line.append(c);
                        }
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // connection closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void classify(String l) {
        if (!l.endsWith(" HTTP/1.1")) {
            return;
        }
        String target = l.substring(l.indexOf(' ') + 1);
        if (l.startsWith("HEAD ")) {
            heads.increment();
        } else if (l.startsWith("GET ")) {
            if (target.contains("list-type=") || target.contains("?prefix=") || target.contains("&prefix=")) {
                lists.increment();
            } else {
                gets.increment();
            }
        } else if (l.matches("^[A-Z]+ .*")) {
            other.increment();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    static String describe(long[] before, long[] after, double minutes) {
        return String.format("LIST %.0f/min, GET %.0f/min, HEAD %.0f/min",
                (after[0] - before[0]) / minutes, (after[1] - before[1]) / minutes, (after[2] - before[2]) / minutes);
    }
}
