package dev.ltxvfs.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.ReplicaUrl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight giant-value requests at once (JSON, NDJSON and libSQL) against the artifact on a 128 MiB
 * heap: each fails with the limit named, none is copied into the JVM, and the service keeps
 * answering. Before the size checks, one {@code zeroblob(500000000)} alone read 500 MB.
 */
class GiantValuesIT {
    static final String LIMIT = "ltxvfs.query.max-bytes (16 MiB)";
    static final String[] GIANTS = {
        "SELECT zeroblob(500000000)",
        "SELECT randomblob(900000000)",
        "SELECT printf('%.10000000c', 'x') AS a, printf('%.10000000c', 'y') AS b",
    };

    @TempDir
    Path dir;

    @Test
    void parallelGiantValuesFailNamingTheLimitAndTheServiceKeepsAnswering() throws Exception {
        Path replica = TestReplica.write(dir);
        int port = Artifact.freePort();
        Path log = dir.resolve("artifact.log");
        ProcessBuilder pb = new ProcessBuilder(Artifact.command(List.of("-Xmx128m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"))).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LTXVFS_DATABASES_LOCAL_REPLICA_URL", ReplicaUrl.file(replica).toString());
        Process process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Artifact.awaitReady(http, port, process);
            String base = "http://127.0.0.1:" + port;
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String sql = GIANTS[i % GIANTS.length];
                String kind = List.of("json", "ndjson", "libsql").get(i % 3);
                HttpRequest.Builder b = switch (kind) {
                    case "libsql" -> HttpRequest.newBuilder(URI.create(base + "/libsql/local/v2/pipeline"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\""
                                    + sql + "\"}},{\"type\":\"close\"}]}"));
                    default -> HttpRequest.newBuilder(URI.create(base + "/v1/databases/local/query"))
                            .header("Accept", kind.equals("ndjson") ? "application/x-ndjson" : "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + sql + "\"}"));
                };
                kinds.add(kind + ": " + sql);
                answers.add(http.sendAsync(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get(2, TimeUnit.MINUTES);
                assertThat(r.statusCode()).as(kinds.get(i) + " " + r.body()).isEqualTo(kinds.get(i).startsWith("libsql") ? 200 : 422);
                assertThat(r.body()).as(kinds.get(i)).contains(LIMIT);
            }
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/databases/local/query"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"sql\": \"SELECT count(*) FROM items\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).contains("\"rows\":[[" + TestReplica.rowsAfter(TestReplica.COMMITS - 1) + "]]");
            assertThat(process.isAlive()).isTrue();
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        } finally {
            process.destroyForcibly();
        }
    }
}
