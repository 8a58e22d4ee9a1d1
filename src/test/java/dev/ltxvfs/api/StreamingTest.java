package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code Accept: application/x-ndjson} streams a million-row answer: every row arrives, in order,
 * and the heap of this JVM (which also runs the server) stays far below what holding the answer
 * would take (~150 MB of row objects for these rows).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class StreamingTest {
    static final int ROWS = 1_000_000;

    @TestHTTPResource("/v1/databases/local/query")
    URL url;

    @Test
    void aMillionRowsStreamWithBoundedMemory() throws Exception {
        String sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < " + ROWS + ") "
                + "SELECT i, printf('%040d', i) AS pad FROM n";
        HttpRequest req = HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Content-Type", "application/json").header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(PlainSqlite.JSON.writeValueAsString(java.util.Map.of("sql", sql))))
                .build();
        long baseline = usedHeapAfterGc();
        long peak = 0;
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<java.io.InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                JsonNode header = PlainSqlite.parse(in.readLine());
                assertThat(header.path("columns").toString()).isEqualTo("[\"i\",\"pad\"]");
                assertThat(header.path("txid").asText()).isEqualTo(String.format("%016x", ReplicaTestResource.TRANSACTIONS));
                long expected = 1;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    String want = "[" + expected + ",\"" + String.format("%040d", expected) + "\"]";
                    if (!line.equals(want)) {
                        assertThat(line).as("row %d", expected).isEqualTo(want);
                    }
                    if (expected % 250_000 == 0) {
                        peak = Math.max(peak, usedHeapAfterGc());
                    }
                    expected++;
                }
                assertThat(expected - 1).isEqualTo(ROWS);
            }
        }
        assertThat(peak - baseline).as("heap growth while streaming (baseline %d MB)", baseline >> 20)
                .isLessThan(64L << 20);
    }

    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
