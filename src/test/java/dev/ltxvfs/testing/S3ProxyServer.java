package dev.ltxvfs.testing;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Options;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server (S3Proxy, in-memory) for this JVM, started through {@code src/test/scripts/s3proxy.sh}
 * on first use and stopped by a shutdown hook. Each JVM gets its own server and state folder
 * ({@code target/s3proxy/jvm-<pid>}), so concurrent builds never stop each other's server.
 * {@link #stop()} and {@link #start()} simulate an outage; a restart keeps the port but, with the
 * default in-memory backend, loses the buckets.
 */
public final class S3ProxyServer {
    public static final String ACCESS_KEY = "identity";
    public static final String SECRET_KEY = "credential";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer instance;

    private final Path stateDir;
    private volatile URI endpoint;
    private S3Client client;

    private S3ProxyServer() {
        this.stateDir = ProjectScripts.root().resolve("target/s3proxy/jvm-" + ProcessHandle.current().pid());
    }

    /** The JVM's server, started if it is not running. */
    public static synchronized S3ProxyServer get() {
        if (instance == null) {
            S3ProxyServer s = new S3ProxyServer();
            s.start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly, "s3proxy-stop"));
            instance = s;
        }
        return instance;
    }

    /** Starts the server (on the same port as before, if it ran before); a no-op when it runs. */
    public synchronized void start() {
        Map<String, String> env = env();
        if (endpoint != null) env.put("S3PROXY_PORT", Integer.toString(endpoint.getPort()));
        endpoint = URI.create(ProjectScripts.run(env, 60, "s3proxy.sh", "start"));
    }

    /** Stops the server; requests fail until {@link #start()}. */
    public synchronized void stop() {
        ProjectScripts.run(env(), 30, "s3proxy.sh", "stop");
    }

    private void stopQuietly() {
        try {
            stop();
            // Only the config and log live there; keep target/ from filling with one folder per run.
            try (var files = java.nio.file.Files.walk(stateDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (java.io.IOException e) {
            System.err.println("s3proxy: " + e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("s3proxy: " + e.getMessage());
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("S3PROXY_STATE_DIR", stateDir.toString());
        // S3PROXY_BACKEND=filesystem in the environment runs the suite on S3Proxy's disk backend.
        env.put("S3PROXY_BACKEND", System.getenv().getOrDefault("S3PROXY_BACKEND", "transient"));
        env.put("S3PROXY_WATCH_PID", Long.toString(ProcessHandle.current().pid()));
        return env;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** CPU the server process has used so far (user + system, from /proc), in ms; -1 when unknown. */
    public long cpuMillis() {
        try {
            String pid = java.nio.file.Files.readString(stateDir.resolve("s3proxy.pid")).trim();
            String[] f = java.nio.file.Files.readString(Path.of("/proc", pid, "stat"))
                    .replaceFirst("^.*\\) ", "").split(" ");
            // After "(comm) ": state is field 3 of stat(5); utime and stime are fields 14 and 15, in ticks of 10 ms.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** {@code s3://bucket/path?endpoint=...&forcePathStyle=true}, as Litestream and ltxvfs take it. */
    public String replicaUrl(String bucket, String path) {
        return "s3://" + bucket + "/" + path + "?endpoint=" + endpoint + "&forcePathStyle=true";
    }

    /** S3 options carrying this server's credentials. */
    public S3Options options() {
        return S3Options.defaults().withCredentials(credentials());
    }

    /** {@code options} with {@code keys} keys per LIST page: several pages from a few objects. */
    public static S3Options listPages(S3Options options, int keys) {
        return new S3Options(options.maxAttempts(), options.deadline(), options.attemptTimeout(),
                options.initialBackoff(), options.maxBackoff(), keys, options.maxConcurrency(), options.credentials());
    }

    /** A synchronous client for test fixtures (uploads, deletes), shared; do not close it. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .httpClientBuilder(AwsCrtHttpClient.builder())
                    .endpointOverride(endpoint)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }
        return client;
    }

    /** A new async client configured as ltxvfs configures its own; the caller closes it. */
    public S3AsyncClient newAsyncClient() {
        return dev.ltxvfs.store.S3Clients.newAsyncClient(ReplicaUrl.parse(replicaUrl("unused", "")), options());
    }

    public void createBucket(String name) {
        client().createBucket(b -> b.bucket(name));
    }

    /** Creates the bucket unless it exists (after a restart, only the disk backend still has it). */
    public void ensureBucket(String name) {
        try {
            createBucket(name);
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
                 | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
            // kept across the restart
        }
    }

    /** Creates a bucket with a fresh name starting with {@code prefix} and returns the name. */
    public String newBucket(String prefix) {
        String name = (prefix + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet()).toLowerCase();
        createBucket(name);
        return name;
    }

    /** Environment for a process that reads this server with the AWS SDK defaults (e.g. the reference VFS). */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }
}
