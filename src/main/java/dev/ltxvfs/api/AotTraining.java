package dev.ltxvfs.api;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.writer.DemoDataset;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The training run of the JDK AOT cache. Quarkus records the cache ({@code ./mvnw package -Daot},
 * and Dockerfile.jvm the same way) by starting the jar with {@code -XX:AOTCacheOutput} and
 * {@code quarkus.appcds.generate=true}, which on its own only boots and exits. {@link Main} turns
 * that run into a real first query instead, so the cache holds what a scale-to-zero start needs:
 * the service starts (early start included) with two databases on the demo replica written to a
 * temporary directory, one read from there and one served over S3 on loopback ({@link TrainingS3}: the
 * S3 client, its LISTs and ranged GETs with real replies), and this application queries both over
 * HTTP, reads the health checks, and exits.
 */
public class AotTraining implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(AotTraining.class);
    static final String SQL = "SELECT count(*), sum(qty) FROM orders WHERE customer_id = 42";
    private static Path dir;
    private static int port;
    private static TrainingS3 s3;

    /** Whether this process is the AOT cache's recording run. */
    static boolean requested() {
        return ApplicationLifecycleManager.isAppCDSGeneration();
    }

    /** Before Quarkus boots: the training's configuration, as system properties. */
    static void prepare() throws IOException {
        System.clearProperty(ApplicationLifecycleManager.QUARKUS_APPCDS_GENERATE_PROP);
        dir = Files.createTempDirectory("ltxvfs-aot-training");
        Path replica = dir.resolve("replica");
        DemoDataset.ensure(replica, Instant.now());
        port = freePort();
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("quarkus.http.host", "127.0.0.1");
        System.setProperty("ltxvfs.demo.enabled", "false");
        System.setProperty("ltxvfs.databases.local.replica-url", ReplicaUrl.file(replica).toString());
        s3 = TrainingS3.serve(replica);
        System.setProperty("ltxvfs.databases.s3.replica-url", s3.replicaUrl());
        System.setProperty("ltxvfs.storage.open-timeout", "10s");
        // Explicit credentials: the training never looks for an instance role.
        System.setProperty("aws.accessKeyId", "training");
        System.setProperty("aws.secretAccessKey", "training");
    }

    @Override
    public int run(String... args) throws Exception {
        boolean failed = false;
        try {
            // HTTP/1.1 as the first request of a real start comes (curl, Knative's queue-proxy): the JDK's
            // client would otherwise ask for h2c, and the cache would hold Vert.x's HTTP/2 upgrade path instead.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            for (String db : List.of("local", "s3")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/databases/" + db + "/query"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + SQL + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                LOG.infof("AOT training: %s answered %d %s", db, r.statusCode(), r.body());
                if (r.statusCode() != 200) {
                    // A cache trained on an error path would quietly miss the first-query path.
                    failed = true;
                }
            }
            for (String path : List.of("/q/health/live", "/q/health/ready")) {
                http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            s3.close();
            deleteTree(dir);
        }
        return failed ? 1 : 0;
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
