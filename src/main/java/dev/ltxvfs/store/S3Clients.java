package dev.ltxvfs.store;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** Builds the S3 client a replica URL asks for. */
public final class S3Clients {
    private S3Clients() {}

    /**
     * An async client on the AWS CRT HTTP client (the Netty one is not on our classpath). It does not
     * retry ({@link Retrier} does, with our deadline) and computes checksums only where S3 requires
     * them, which S3-compatible servers handle best. It ignores {@code AWS_CA_BUNDLE}: the CRT uses the
     * system trust store, so that variable, common on users' machines, cannot break it.
     */
    public static S3AsyncClient newAsyncClient(ReplicaUrl url, S3Options options) {
        S3AsyncClientBuilder b = S3AsyncClient.builder()
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(options.maxConcurrency())
                        .connectionTimeout(options.attemptTimeout()))
                .region(Region.of(url.region()))
                .credentialsProvider(options.credentialsOrDefault())
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
}
