package dev.ltxvfs.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.ReplicaUrl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knative (and any Kubernetes) stops a pod with SIGTERM: the artifact must finish the query in
 * flight, answer it, and exit cleanly. This test owns the process, so it starts the artifact itself.
 */
class GracefulShutdownIT {
    /** About 30 million steps of SQLite's VM: seconds of work, with no storage involved. */
    static final String SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) "
            + "SELECT count(*) FROM c";

    @TempDir
    Path dir;

    @Test
    void finishesTheQueryInFlightOnSigtermThenExits() throws Exception {
        Path replica = TestReplica.write(dir);
        int port = Artifact.freePort();
        Path log = dir.resolve("artifact.log");
        ProcessBuilder pb = new ProcessBuilder(Artifact.command(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Configured the way k8s/ configures it: an environment variable.
        pb.environment().put("LTXVFS_DATABASES_LOCAL_REPLICA_URL", ReplicaUrl.file(replica).toString());
        Process process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Artifact.awaitReady(http, port, process);
            HttpRequest slow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/databases/local/query"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + SLOW + "\"}"))
                    .build();
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
            awaitActiveQuery(http, port);
            assertThat(answer).as("the query is still in flight when SIGTERM is sent").isNotDone();

            process.toHandle().destroy(); // SIGTERM

            HttpResponse<String> r = answer.get(2, TimeUnit.MINUTES);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"rows\":[[30000000]]");
            assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("exited").isTrue();
            // 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran on that signal.
            assertThat(process.exitValue()).isIn(0, 143);
            String output = Files.readString(log);
            assertThat(output).contains("stopped in").doesNotContain("ERROR");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits until the metrics show a worker running a query. */
    private static void awaitActiveQuery(HttpClient http, int port) throws Exception {
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build();
        for (int i = 0; i < 300; i++) {
            String body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            if (body.lines().anyMatch(l -> l.startsWith("ltxvfs_workers_active") && !l.endsWith(" 0.0"))) {
                return;
            }
            Thread.sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException("no query became active");
    }
}
