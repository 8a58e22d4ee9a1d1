import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The async HTTP client under the S3 client, by measurement (bench-s3-client.sh starts a fresh JVM
 * per run): time from main() to a built client, the first LIST, the first ranged GET, then warm
 * ranged GETs of 4 KiB, CONCURRENCY at a time. Prints one line of key=value.
 *
 *   S3ClientBench crt|netty ENDPOINT BUCKET KEY GETS CONCURRENCY
 */
public final class S3ClientBench {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String type = args[0];
        URI endpoint = URI.create(args[1]);
        String bucket = args[2];
        String key = args[3];
        int gets = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);

        SdkAsyncHttpClient.Builder<?> http = switch (type) {
            case "crt" -> AwsCrtAsyncHttpClient.builder().maxConcurrency(64).connectionTimeout(Duration.ofSeconds(5));
            case "netty" -> NettyNioAsyncHttpClient.builder().maxConcurrency(64).connectionTimeout(Duration.ofSeconds(5));
            default -> throw new IllegalArgumentException(type);
        };
        S3AsyncClient client = S3AsyncClient.builder()
                .httpClientBuilder(http)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("identity", "credential")))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        long created = System.nanoTime();
        client.listObjectsV2(b -> b.bucket(bucket).maxKeys(1000)).join();
        long listed = System.nanoTime();
        client.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-4095"), AsyncResponseTransformer.toBytes()).join();
        long got = System.nanoTime();

        Semaphore inFlight = new Semaphore(concurrency);
        CompletableFuture<?>[] all = new CompletableFuture<?>[gets];
        long w0 = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            inFlight.acquire();
            long off = (i * 4096L) % (1 << 20);
            all[i] = client.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + off + "-" + (off + 4095)),
                    AsyncResponseTransformer.toBytes()).whenComplete((r, e) -> inFlight.release());
        }
        CompletableFuture.allOf(all).join();
        long w1 = System.nanoTime();
        client.close();
        System.out.printf("type=%s create_ms=%d first_list_ms=%d first_get_ms=%d warm_gets_per_s=%.0f%n", type,
                (created - t0) / 1_000_000, (listed - created) / 1_000_000, (got - listed) / 1_000_000,
                gets / ((w1 - w0) / 1e9));
    }
}
