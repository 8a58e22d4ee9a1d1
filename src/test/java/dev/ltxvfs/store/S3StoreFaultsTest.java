package dev.ltxvfs.store;

import static dev.ltxvfs.testing.ScriptedHttpServer.error;
import static dev.ltxvfs.testing.ScriptedHttpServer.partial;
import static dev.ltxvfs.testing.ScriptedHttpServer.response;
import static dev.ltxvfs.testing.ScriptedHttpServer.truncated;
import static dev.ltxvfs.testing.Unis.WAIT;
import static dev.ltxvfs.testing.Unis.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.testing.ScriptedHttpServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Faults S3Proxy does not produce on demand, from a scripted HTTP server: which are retried, and how failures read. */
class S3StoreFaultsTest {
    static final LtxFileInfo FILE = new LtxFileInfo(0, 1, 1, 100, Instant.EPOCH);
    static final String KEY = "db/0000/0000000000000001-0000000000000001.ltx";
    static final byte[] BYTES = "0123456789".getBytes();

    static S3Options fast() {
        return S3Options.defaults()
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    static S3Store store(ScriptedHttpServer server, S3Options options) {
        return new S3Store(ReplicaUrl.parse("s3://bkt/db?endpoint=" + server.endpoint()), options);
    }

    @Test
    void slowDownAndServerErrorsAreRetried() throws Exception {
        try (var server = new ScriptedHttpServer(error(503, "SlowDown"), error(500, "InternalError"), partial(20, BYTES, 100));
             var store = store(server, fast())) {
            assertThat(store.read(FILE, 20, 10).await().atMost(WAIT)).isEqualTo(BYTES);
            assertThat(store.stats().retries.sum()).isEqualTo(2);
            assertThat(server.requests()).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("GET /bkt/" + KEY));
        }
    }

    @Test
    void persistentThrottlingFailsAfterTheAttemptsWithTheErrorCode() throws Exception {
        try (var server = new ScriptedHttpServer(error(503, "SlowDown"));
             var store = store(server, fast().withRetries(4, Duration.ofSeconds(10)))) {
            assertThat(failure(store.read(FILE, 20, 10))).isInstanceOf(StoreException.class)
                    .hasMessageMatching("GET s3://bkt/" + KEY + " bytes=20-29 failed after 4 attempts in \\d+ ms: HTTP 503 SlowDown: scripted");
            assertThat(store.stats().retries.sum()).isEqualTo(3);
            assertThat(store.stats().failures.sum()).isEqualTo(1);
        }
    }

    @Test
    void tooManyRequestsIsRetriedButForbiddenIsNot() throws Exception {
        try (var server = new ScriptedHttpServer(error(429, "TooManyRequests"), error(403, "AccessDenied"));
             var store = store(server, fast())) {
            assertThat(failure(store.read(FILE, 20, 10))).hasMessageContaining("failed after 2 attempts")
                    .hasMessageContaining("HTTP 403 AccessDenied");
        }
    }

    @Test
    void aHungServerFailsByTheDeadline() throws Exception {
        try (var server = new ScriptedHttpServer(new ScriptedHttpServer.Hang());
             var store = store(server, fast().withAttemptTimeout(Duration.ofMillis(300)).withRetries(10, Duration.ofSeconds(1)))) {
            Throwable t = failure(store.list(0, 0));
            assertThat(t).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("LIST s3://bkt/db/0000/ failed after")
                    .hasMessageContaining("no answer within");
            assertThat(store.stats().lists.sum()).isBetween(2L, 9L); // retried, but cut off by the deadline
            assertThat(failure(store.read(FILE, 0, 10))).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("GET s3://bkt/" + KEY + " bytes=0-9 failed after")
                    .hasMessageContaining("no answer within");
        }
    }

    @Test
    void aBodyCutShortIsRetriedForTheMissingRangeOnly() throws Exception {
        byte[] rest = java.util.Arrays.copyOfRange(BYTES, 4, 10);
        // 4 of 10 bytes, then the connection drops; then 3 of the 6 still missing; then the rest.
        try (var server = new ScriptedHttpServer(truncated(20, BYTES, 100, 4), truncated(24, rest, 100, 3),
                partial(27, java.util.Arrays.copyOfRange(BYTES, 7, 10), 100));
             var store = store(server, fast())) {
            assertThat(store.read(FILE, 20, 10).await().atMost(WAIT)).isEqualTo(BYTES);
            assertThat(server.ranges()).containsExactly("bytes=20-29", "bytes=24-29", "bytes=27-29");
            assertThat(store.stats().retries.sum()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatIgnoresRangeOnARetryStillYieldsTheMissingBytes() throws Exception {
        byte[] whole = new byte[100];
        for (int i = 0; i < whole.length; i++) whole[i] = (byte) i;
        byte[] wanted = java.util.Arrays.copyOfRange(whole, 20, 30);
        try (var server = new ScriptedHttpServer(truncated(20, wanted, 100, 4), new ScriptedHttpServer.Raw(concat(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n".getBytes(), whole)));
             var store = store(server, fast())) {
            assertThat(store.read(FILE, 20, 10).await().atMost(WAIT)).isEqualTo(wanted);
            assertThat(server.ranges()).containsExactly("bytes=20-29", "bytes=24-29");
        }
    }

    @Test
    void aServerThatIgnoresRangeStillYieldsTheRange() throws Exception {
        byte[] whole = new byte[100];
        for (int i = 0; i < whole.length; i++) whole[i] = (byte) i;
        try (var server = new ScriptedHttpServer(new ScriptedHttpServer.Raw(concat(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n".getBytes(), whole)));
             var store = store(server, fast())) {
            assertThat(store.read(FILE, 20, 3).await().atMost(WAIT)).containsExactly(20, 21, 22);
        }
    }

    @Test
    void listFollowsContinuationTokensAndSkipsForeignNames() throws Exception {
        String page1 = listPage(true, "t1", "db/0000/0000000000000003-0000000000000003.ltx", "db/0000/junk.ltx");
        String page2 = listPage(false, null, "db/0000/0000000000000004-0000000000000007.ltx");
        try (var server = new ScriptedHttpServer(response(200, "OK", page1, "Content-Type: application/xml"),
                response(200, "OK", page2, "Content-Type: application/xml"));
             var store = store(server, fast())) {
            assertThat(store.list(0, 3).await().atMost(WAIT)).extracting(LtxFileInfo::maxTxid).containsExactly(3L, 7L);
            assertThat(server.requests().get(0)).contains("start-after=db%2F0000%2F0000000000000003");
            assertThat(server.requests().get(1)).contains("continuation-token=t1").doesNotContain("start-after");
        }
    }

    static String listPage(boolean truncated, String next, String... keys) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>bkt</Name><IsTruncated>")
                .append(truncated).append("</IsTruncated>");
        if (next != null) sb.append("<NextContinuationToken>").append(next).append("</NextContinuationToken>");
        for (String k : keys) {
            sb.append("<Contents><Key>").append(k).append("</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>42</Size></Contents>");
        }
        return sb.append("</ListBucketResult>").toString();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
