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
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The async HTTP client under the S3 client, by measurement (bench-s3-client.sh starts a fresh JVM
 * per run): time from main() to a built client, the first LIST (of every key under PREFIX, split at
 * the request's moments: sent, response headers, parsed), the first ranged GET, the process's CPU
 * time by then, then warm ranged GETs of 4 KiB, CONCURRENCY at a time. Prints one line of key=value.
 *
 *   S3ClientBench crt|netty ENDPOINT BUCKET KEY PREFIX GETS CONCURRENCY
 */
public final class S3ClientBench {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String type = args[0];
        URI endpoint = URI.create(args[1]);
        String bucket = args[2];
        String key = args[3];
        String prefix = args[4];
        int gets = Integer.parseInt(args[5]);
        int concurrency = Integer.parseInt(args[6]);
        // The first LIST's moments (ms after main()); the SDK calls these hooks once per attempt.
        long[] sent = new long[1], headers = new long[1], parsed = new long[1];
        ExecutionInterceptor moments = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
                if (sent[0] == 0) sent[0] = System.nanoTime();
            }

            @Override
            public void afterTransmission(Context.AfterTransmission c, ExecutionAttributes a) {
                if (headers[0] == 0) headers[0] = System.nanoTime();
            }

            @Override
            public void afterUnmarshalling(Context.AfterUnmarshalling c, ExecutionAttributes a) {
                if (parsed[0] == 0) parsed[0] = System.nanoTime();
            }
        };

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
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(moments))
                .build();
        long created = System.nanoTime();
        int listedKeys = client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1000)).join().keyCount();
        long listed = System.nanoTime();
        client.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-4095"), AsyncResponseTransformer.toBytes()).join();
        long got = System.nanoTime();
        long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();

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
        System.out.printf("type=%s create_ms=%d first_list_ms=%d list_sent_ms=%d list_headers_ms=%d list_parsed_ms=%d"
                        + " listed_keys=%d first_get_ms=%d cold_cpu_ms=%d warm_gets_per_s=%.0f%n", type,
                ms(created - t0), ms(listed - created), ms(sent[0] - created), ms(headers[0] - sent[0]),
                ms(parsed[0] - headers[0]), listedKeys, ms(got - listed), cpu, gets / ((w1 - w0) / 1e9));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
