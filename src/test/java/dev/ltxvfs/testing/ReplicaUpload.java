package dev.ltxvfs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Copies a {@code file://} replica ({@code ltx/<level>/<name>}) into Litestream's S3 layout
 * ({@code <path>/<level %04x>/<name>}) with the {@code litestream-timestamp} metadata Litestream
 * puts there, so one dataset can be served both ways.
 */
public final class ReplicaUpload {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{16}-[0-9a-f]{16}\\.ltx");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private ReplicaUpload() {}

    /** Uploads every LTX file under {@code replicaDir/ltx}; returns the keys written. */
    public static List<String> upload(Path replicaDir, S3Client s3, String bucket, String path) {
        List<String> keys = new ArrayList<>();
        Path ltx = replicaDir.resolve("ltx");
        try (Stream<Path> levels = Files.list(ltx)) {
            for (Path levelDir : levels.sorted().toList()) {
                int level = Integer.parseInt(levelDir.getFileName().toString());
                try (Stream<Path> files = Files.list(levelDir)) {
                    for (Path f : files.sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (!NAME.matcher(name).matches()) continue;
                        String key = (path.isEmpty() ? "" : path + "/") + String.format("%04x/", level) + name;
                        String ts = rfc3339Nano(headerTimestamp(f));
                        s3.putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("litestream-timestamp", ts)),
                                RequestBody.fromFile(f));
                        keys.add(key);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** The LTX header timestamp: Unix milliseconds, big-endian, at bytes 32..39. */
    public static Instant headerTimestamp(Path ltxFile) throws IOException {
        try (InputStream in = Files.newInputStream(ltxFile)) {
            byte[] head = in.readNBytes(40);
            if (head.length < 40) throw new IOException(ltxFile + " is too short for an LTX header");
            return Instant.ofEpochMilli(ByteBuffer.wrap(head, 32, 8).getLong());
        }
    }

    /** Go's {@code time.RFC3339Nano} in UTC: fraction without trailing zeros, none when zero. */
    public static String rfc3339Nano(Instant t) {
        String frac = "";
        if (t.getNano() != 0) {
            frac = "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
        }
        return SECONDS.format(t) + frac + "Z";
    }
}
