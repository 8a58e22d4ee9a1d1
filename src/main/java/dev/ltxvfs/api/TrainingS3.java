package dev.ltxvfs.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The S3 endpoint of the AOT cache's training run ({@link AotTraining}): a local replica directory
 * ({@code ltx/<level>/<file>.ltx}) served on loopback as bucket {@code training}, keys
 * {@code db/<level as %04x>/<file>}, with the two requests the store makes: ListObjectsV2 (prefix,
 * start-after, max-keys, continuation token) and ranged GETs. So the training walks the S3 client's
 * real response path (XML unmarshalling, response bodies), which a closed port would not; a
 * production start pays for that path on its first LIST otherwise. Nothing else uses it.
 */
final class TrainingS3 implements AutoCloseable {
    static final String BUCKET = "training";
    static final String PREFIX = "db";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final NavigableMap<String, Path> objects = new TreeMap<>();
    private final HttpServer server;

    private TrainingS3(Path replica) throws IOException {
        try (Stream<Path> files = Files.walk(replica.resolve("ltx"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".ltx")).forEach(p -> objects.put(
                    "%s/%04x/%s".formatted(PREFIX, Integer.parseInt(p.getParent().getFileName().toString()), p.getFileName()), p));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
    }

    /** Serves {@code replica} until closed. */
    static TrainingS3 serve(Path replica) throws IOException {
        TrainingS3 s3 = new TrainingS3(replica);
        s3.server.start();
        return s3;
    }

    /** The replica URL of the served database. */
    String replicaUrl() {
        return "s3://" + BUCKET + "/" + PREFIX + "?endpoint=http://127.0.0.1:" + server.getAddress().getPort()
                + "&region=us-east-1";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            if (path.equals("/" + BUCKET) || path.equals("/" + BUCKET + "/")) {
                list(ex, query);
            } else if (path.startsWith("/" + BUCKET + "/") && objects.containsKey(path.substring(BUCKET.length() + 2))) {
                get(ex, objects.get(path.substring(BUCKET.length() + 2)));
            } else {
                send(ex, 404, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                        + "<Message>The specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void list(HttpExchange ex, Map<String, String> query) throws IOException {
        String prefix = query.getOrDefault("prefix", "");
        String after = query.getOrDefault("continuation-token", query.getOrDefault("start-after", ""));
        int max = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix>")
                .append(prefix).append("</Prefix><MaxKeys>").append(max).append("</MaxKeys>");
        int count = 0;
        String last = null;
        boolean truncated = false;
        for (var e : objects.tailMap(after, false).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            if (count == max) {
                truncated = true;
                break;
            }
            xml.append("<Contents><Key>").append(e.getKey()).append("</Key><LastModified>")
                    .append(ISO.format(Files.getLastModifiedTime(e.getValue()).toInstant())).append("</LastModified><ETag>\"")
                    .append(Integer.toHexString(e.getKey().hashCode())).append("\"</ETag><Size>").append(Files.size(e.getValue()))
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
            last = e.getKey();
            count++;
        }
        xml.append("<KeyCount>").append(count).append("</KeyCount><IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            xml.append("<NextContinuationToken>").append(last).append("</NextContinuationToken>");
        }
        send(ex, 200, "application/xml", xml.append("</ListBucketResult>").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void get(HttpExchange ex, Path file) throws IOException {
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=")) {
            String[] ends = range.substring("bytes=".length()).split("-", 2);
            from = Long.parseLong(ends[0]);
            to = ends[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(ends[1]), size - 1);
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        byte[] body = new byte[(int) (to - from + 1)];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(from);
            f.readFully(body);
        }
        ex.getResponseHeaders().set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Files.getLastModifiedTime(file).toInstant().atOffset(ZoneOffset.UTC)));
        send(ex, range != null ? 206 : 200, "application/octet-stream", body);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
