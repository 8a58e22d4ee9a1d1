package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.List;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

/**
 * A catalog in a bucket: the folders under {@code <prefix>/}, listed with the delimiter {@code /}
 * (one LIST per page, continuation tokens as page tokens), on the endpoint's shared S3 client, which
 * every replica opened from it shares too.
 */
final class S3CatalogStore implements CatalogStore {
    private final ReplicaUrl url;
    private final S3Options options;
    private final S3AsyncClient client;
    private final String prefix;
    private final StoreStats stats = new StoreStats();
    private final S3Listing listing;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    S3CatalogStore(ReplicaUrl url, S3Options options) {
        this.url = url;
        this.options = options;
        this.client = S3Clients.acquire(url, options);
        this.prefix = url.path().isEmpty() ? "" : url.path() + "/";
        this.listing = new S3Listing(client, url.bucket(), new Retrier(options, stats), stats);
    }

    @Override
    public Uni<Page> folders(String token, int max) {
        return Uni.createFrom().completionStage(() -> listing.page(prefix, "/", null, token, max)).onItem()
                .transform(resp -> new Page(names(resp.commonPrefixes(), prefix), S3Listing.next(resp)));
    }

    @Override
    public Uni<Probe> probe(String folder) {
        String inside = prefix + folder + "/";
        return Uni.createFrom().completionStage(() -> listing.page(inside, "/", null, null, 1000)).onItem().transform(resp -> {
            if (names(resp.commonPrefixes(), inside).stream().anyMatch(n -> n.matches("[0-9a-f]{4}"))) {
                return Probe.REPLICA;
            }
            return resp.commonPrefixes().isEmpty() && resp.contents().isEmpty() ? Probe.MISSING : Probe.NOT_A_REPLICA;
        });
    }

    private static List<String> names(List<CommonPrefix> prefixes, String under) {
        return prefixes.stream()
                .map(p -> p.prefix().substring(under.length(), p.prefix().length() - 1))
                .filter(n -> !n.isEmpty())
                .sorted()
                .toList();
    }

    @Override
    public ReplicaStore replica(String folder) {
        return new S3Store(url.child(folder), options); // on the same shared client of the endpoint
    }

    @Override
    public String location() {
        return url.toString();
    }

    @Override
    public StoreStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            S3Clients.release(client);
        }
    }
}
