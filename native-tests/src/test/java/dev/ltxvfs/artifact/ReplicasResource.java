package dev.ltxvfs.artifact;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives the artifact under test two databases (named apart from the api tests' global resource,
 * which Quarkus also applies here because it shares the test classpath): {@code orders} from S3Proxy and {@code files} from
 * a directory, both the same {@link TestReplica}. The map returned becomes {@code -D} options of the
 * launched process, so the S3 credentials go as the AWS SDK's system properties.
 */
public class ReplicasResource implements QuarkusTestResourceLifecycleManager {
    static final String PATH = "orders";
    private static volatile String bucket;
    private static volatile Path replica;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("ltxvfs-artifact");
            replica = TestReplica.write(dir);
            S3ProxyServer s3 = S3ProxyServer.get();
            bucket = s3.newBucket("artifact");
            ReplicaUpload.upload(replica, s3.client(), bucket, PATH);
            return Map.of(
                    "ltxvfs.databases.orders.replica-url", s3.replicaUrl(bucket, PATH),
                    "ltxvfs.databases.orders.poll-interval", "500ms",
                    // Not hydrated: the outage test needs a query whose pages only storage has.
                    "ltxvfs.databases.orders.hydrate", "off",
                    "ltxvfs.databases.files.replica-url", ReplicaUrl.file(replica).toString(),
                    "ltxvfs.storage.read-timeout", "5s",
                    "aws.accessKeyId", s3.accessKey(),
                    "aws.secretAccessKey", s3.secretKey(),
                    "aws.region", "us-east-1");
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the replicas for the artifact tests", e);
        }
    }

    /** Puts the replica back into S3Proxy (whose in-memory store a restart empties). */
    static void reupload() {
        S3ProxyServer s3 = S3ProxyServer.get();
        s3.ensureBucket(bucket);
        ReplicaUpload.upload(replica, s3.client(), bucket, PATH);
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
