package dev.ltxvfs.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * The S3 clients of the process: one per endpoint (with its region, path style and credentials),
 * shared by every replica there and closed when the last of them closes. Building a client costs
 * about half a second in a cold JVM (src/test/scripts/bench-s3-client.sh), so databases on one
 * endpoint pay it once.
 */
public final class S3Clients {
    private record Key(Optional<URI> endpoint, String region, boolean regionGiven, boolean pathStyle,
                       int maxConcurrency, Duration connectTimeout, AwsCredentialsProvider credentials) {}

    private static final class Shared {
        final S3AsyncClient client;
        int users;

        Shared(S3AsyncClient client) {
            this.client = client;
        }
    }

    private static final Map<Key, Shared> SHARED = new HashMap<>();

    private S3Clients() {}

    /** The shared client for {@code url}'s endpoint, built on first use; give it back with {@link #release}. */
    static S3AsyncClient acquire(ReplicaUrl url, S3Options options) {
        Key key = new Key(url.endpoint(), url.region(), url.regionGiven(), url.forcePathStyle(), options.maxConcurrency(),
                options.attemptTimeout(), options.credentials());
        synchronized (SHARED) {
            Shared s = SHARED.computeIfAbsent(key, k -> new Shared(newAsyncClient(url, options)));
            s.users++;
            return s.client;
        }
    }

    /** One user less of {@code client}; the last one closes it. */
    static void release(S3AsyncClient client) {
        synchronized (SHARED) {
            var it = SHARED.values().iterator();
            while (it.hasNext()) {
                Shared s = it.next();
                if (s.client == client && --s.users == 0) {
                    it.remove();
                    client.close();
                }
            }
        }
    }

    /**
     * A new async client, which the caller closes, on the AWS CRT HTTP client: it starts and makes its
     * first request faster than the Netty client, and serves more small GETs per second
     * (bench-s3-client.sh; the Netty client also has no Quarkus deployment artifact at
     * quarkus-amazon-services 3.19.0). It does not retry ({@link Retrier} does, with our deadline) and
     * computes checksums only where S3 requires them, which S3-compatible servers handle best. It
     * ignores {@code AWS_CA_BUNDLE}: the CRT uses the system trust store, so that variable, common on
     * users' machines, cannot break it. A {@link ClosingGuard} keeps its close from crashing the JVM
     * under a request being issued. Region and credentials are set explicitly, so building it never
     * walks the SDK's default provider chains.
     *
     * <p>It keeps S3's own endpoint provider and the CRT's TLS context, also for an {@code http://}
     * endpoint (measured for issue 10, AOT cache + the image's flags): the builder evaluates S3's
     * endpoint rules once with its default provider whatever is configured, and after that a request's
     * evaluation costs ~1 ms, then microseconds (cached); turning peer verification off for a plain-http
     * endpoint would skip loading the system trust store (~9 ms of the TLS context's ~20 ms), but the
     * CRT also uses that context for an https proxy taken from the environment.
     */
    public static S3AsyncClient newAsyncClient(ReplicaUrl url, S3Options options) {
        S3AsyncClientBuilder b = S3AsyncClient.builder()
                .httpClientBuilder(defaults -> new ClosingGuard(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(options.maxConcurrency())
                        .connectionTimeout(options.attemptTimeout())
                        .buildWithDefaults(defaults)))
                .region(Region.of(url.region()))
                .credentialsProvider(options.credentials() != null ? options.credentials() : configuredCredentials())
                .forcePathStyle(url.forcePathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        url.endpoint().ifPresent(b::endpointOverride);
        // On AWS itself, a bucket in another region than the defaulted one still works.
        if (url.endpoint().isEmpty() && !url.regionGiven()) {
            b.crossRegionAccessEnabled(true);
        }
        return b.build();
    }

    /**
     * The one credentials source the environment configures, in the order the AWS default chain
     * would find it, chosen by looking at configuration only (no file reads past one existence
     * check, no network): Java system properties ({@code aws.accessKeyId}), environment variables
     * ({@code AWS_ACCESS_KEY_ID}), a profile ({@code AWS_PROFILE} or {@code ~/.aws/credentials}), the
     * container endpoint (ECS, EKS Pod Identity), else the instance role.
     */
    static AwsCredentialsProvider configuredCredentials() {
        if (System.getProperty("aws.accessKeyId") != null) {
            return SystemPropertyCredentialsProvider.create();
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (System.getenv("AWS_PROFILE") != null || System.getProperty("aws.profile") != null
                || System.getenv("AWS_SHARED_CREDENTIALS_FILE") != null
                || Files.exists(Path.of(System.getProperty("user.home"), ".aws", "credentials"))) {
            return ProfileCredentialsProvider.create();
        }
        if (System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null
                || System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            return ContainerCredentialsProvider.create();
        }
        return InstanceProfileCredentialsProvider.create();
    }
}
