package dev.ltxvfs.store;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How an {@link S3Store} talks to its server: retries, deadlines, page size, credentials.
 *
 * @param maxAttempts tries per request, the first included
 * @param deadline a request (all its attempts and backoffs) fails by then at the latest
 * @param attemptTimeout one attempt fails by then (shortened to what is left of the deadline)
 * @param initialBackoff the pause before the first retry; it doubles per retry, with jitter
 * @param maxBackoff the longest pause between attempts
 * @param listPageSize keys per ListObjectsV2 page (S3 caps it at 1000)
 * @param maxConcurrency open connections at most
 * @param credentials null for the one source the environment configures ({@link S3Clients#configuredCredentials}:
 *     aws.accessKeyId, AWS_ACCESS_KEY_ID, a profile, the container endpoint or the instance role)
 */
public record S3Options(int maxAttempts, Duration deadline, Duration attemptTimeout, Duration initialBackoff,
                        Duration maxBackoff, int listPageSize, int maxConcurrency,
                        AwsCredentialsProvider credentials) {

    public S3Options {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("listPageSize must be 1..1000: " + listPageSize);
        }
        if (maxConcurrency < 1) throw new IllegalArgumentException("maxConcurrency must be >= 1: " + maxConcurrency);
        positive("deadline", deadline);
        positive("attemptTimeout", attemptTimeout);
        positive("initialBackoff", initialBackoff);
        positive("maxBackoff", maxBackoff);
    }

    public static S3Options defaults() {
        return new S3Options(3, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100),
                Duration.ofSeconds(2), 1000, 64, null);
    }

    public S3Options withRetries(int maxAttempts, Duration deadline) {
        return new S3Options(maxAttempts, deadline, attemptTimeout, initialBackoff, maxBackoff, listPageSize,
                maxConcurrency, credentials);
    }

    public S3Options withAttemptTimeout(Duration attemptTimeout) {
        return new S3Options(maxAttempts, deadline, attemptTimeout, initialBackoff, maxBackoff, listPageSize,
                maxConcurrency, credentials);
    }

    public S3Options withBackoff(Duration initialBackoff, Duration maxBackoff) {
        return new S3Options(maxAttempts, deadline, attemptTimeout, initialBackoff, maxBackoff, listPageSize,
                maxConcurrency, credentials);
    }

    public S3Options withMaxConcurrency(int maxConcurrency) {
        return new S3Options(maxAttempts, deadline, attemptTimeout, initialBackoff, maxBackoff, listPageSize,
                maxConcurrency, credentials);
    }

    public S3Options withCredentials(AwsCredentialsProvider credentials) {
        return new S3Options(maxAttempts, deadline, attemptTimeout, initialBackoff, maxBackoff, listPageSize,
                maxConcurrency, credentials);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
