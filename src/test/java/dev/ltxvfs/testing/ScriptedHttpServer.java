package dev.ltxvfs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An HTTP server on 127.0.0.1 that answers each connection with the next scripted reply, for faults a
 * real S3 server will not produce on demand: 503 SlowDown, a hung connection, a body cut short.
 * One request per connection ({@code Connection: close}); the last reply repeats once the script runs out.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /** What to do with one request. */
    public sealed interface Reply permits Raw, Hang {}

    /** Send these bytes, then close. */
    public record Raw(byte[] bytes) implements Reply {}

    /** Read the request and never answer. */
    public record Hang() implements Reply {}

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Reply last;
    private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    public ScriptedHttpServer(Reply... replies) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        script.addAll(List.of(replies));
        Thread.ofVirtual().name("scripted-http").start(this::acceptLoop);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The first line of every request received, e.g. {@code GET /bucket/key HTTP/1.1}. */
    public List<String> requests() {
        synchronized (requestLines) {
            return List.copyOf(requestLines);
        }
    }

    /** The Range header of every request received ({@code bytes=a-b}), or "" for a request without one. */
    public List<String> ranges() {
        synchronized (ranges) {
            return List.copyOf(ranges);
        }
    }

    /** A complete response with this status, headers and body. */
    public static Raw response(int status, String reason, String body, String... headers) {
        return new Raw(responseBytes(status, reason, body.getBytes(StandardCharsets.UTF_8), body.length(), headers));
    }

    /** An S3 error document, e.g. {@code error(503, "SlowDown")}. */
    public static Raw error(int status, String code) {
        return response(status, code, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>scripted</Message><RequestId>1</RequestId></Error>", "Content-Type: application/xml");
    }

    /** A 206 for {@code bytes=offset-...} of an object of {@code total} bytes, whose body is {@code body}. */
    public static Raw partial(long offset, byte[] body, long total) {
        return new Raw(responseBytes(206, "Partial Content", body, body.length,
                "Content-Range: bytes " + offset + "-" + (offset + body.length - 1) + "/" + total));
    }

    /** A 206 promising {@code body.length} bytes but sending only {@code sent} of them before closing. */
    public static Raw truncated(long offset, byte[] body, long total, int sent) {
        byte[] full = partial(offset, body, total).bytes();
        byte[] cut = new byte[full.length - body.length + sent];
        System.arraycopy(full, 0, cut, 0, cut.length);
        return new Raw(cut);
    }

    private static byte[] responseBytes(int status, String reason, byte[] body, int contentLength, String... headers) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (String h : headers) head.append(h).append("\r\n");
        head.append("Content-Length: ").append(contentLength).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String[] lineAndRange = readRequest(s.getInputStream());
            requestLines.add(lineAndRange[0]);
            ranges.add(lineAndRange[1]);
            Reply r = script.poll();
            if (r == null) r = last; else last = r;
            if (r instanceof Raw raw) {
                OutputStream out = s.getOutputStream();
                out.write(raw.bytes());
                out.flush();
            } else {
                s.getInputStream().read(); // blocks until the client gives up or we close
            }
        } catch (IOException ignored) {
            // the client hung up
        } finally {
            open.remove(s);
        }
    }

    /** Reads the head (and a Content-Length body) of one request; returns its first line and its Range. */
    private static String[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) break;
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String range = "";
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            } else if (line.toLowerCase().startsWith("range:")) {
                range = line.substring(6).trim();
            }
        }
        int eol = text.indexOf("\r\n");
        return new String[] {eol < 0 ? text : text.substring(0, eol), range};
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
    }
}
