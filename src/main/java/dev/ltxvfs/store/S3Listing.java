package dev.ltxvfs.store;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * ListObjectsV2 on one bucket, retried and counted: the one way replicas ({@link S3Store}) and
 * catalogs ({@link S3CatalogStore}) list keys.
 */
final class S3Listing {
    private final S3AsyncClient client;
    private final String bucket;
    private final Retrier retrier;
    private final StoreStats stats;

    S3Listing(S3AsyncClient client, String bucket, Retrier retrier, StoreStats stats) {
        this.client = client;
        this.bucket = bucket;
        this.retrier = retrier;
        this.stats = stats;
    }

    /**
     * One page of at most {@code maxKeys} keys under {@code prefix}: the next page of {@code token}
     * if not null, else the first after {@code startAfter} (null: from the start). With a
     * {@code delimiter} the folders come as common prefixes; without, every key under the prefix.
     */
    CompletableFuture<ListObjectsV2Response> page(String prefix, String delimiter, String startAfter, String token,
                                                  int maxKeys) {
        String what = "LIST s3://" + bucket + "/" + prefix + (delimiter != null ? " (folders)" : "")
                + (token != null ? " (next page)" : startAfter != null ? " after " + startAfter : "");
        return retrier.run(what, false, () -> {
            stats.lists.increment();
            return client.listObjectsV2(b -> {
                b.bucket(bucket).prefix(prefix).maxKeys(maxKeys);
                if (delimiter != null) b.delimiter(delimiter);
                if (token != null) b.continuationToken(token);
                else if (startAfter != null) b.startAfter(startAfter);
            });
        });
    }

    /** The token of the page after {@code resp}, null when it was the last. */
    static String next(ListObjectsV2Response resp) {
        return Boolean.TRUE.equals(resp.isTruncated()) ? resp.nextContinuationToken() : null;
    }
}
