package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A replica in an S3 bucket, in Litestream's S3 layout: {@code <path>/<level %04x>/<min>-<max>.ltx}.
 * A listing seeks with StartAfter (keys sort by MinTXID) and pages with continuation tokens, so a
 * poll costs one LIST however long the level is. Reads are ranged GETs. Every call returns at once;
 * retries follow {@link S3Options}.
 */
public final class S3Store implements ReplicaStore {
    private final S3AsyncClient client;
    private final String bucket;
    private final String path;
    private final S3Options options;
    private final Retrier retrier;
    private final StoreStats stats = new StoreStats();
    private final String location;
    // The key prefix before "<level>/": "path/", or for an empty path "" or "/" (Litestream writes
    // "/0000/..." then). Null until a listing finds out which.
    private volatile String root;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A store on the process's shared client for the URL's endpoint. */
    public S3Store(ReplicaUrl url, S3Options options) {
        this.client = S3Clients.acquire(url, options);
        this.bucket = url.bucket();
        this.path = url.path();
        this.options = options;
        this.retrier = new Retrier(options, stats);
        this.location = url.toString();
        this.root = path.isEmpty() ? null : path + "/";
    }

    /** The object key of {@code file}. */
    public String key(LtxFileInfo file) {
        String r = root;
        return (r == null ? "" : r) + levelDir(file.level()) + file.fileName();
    }

    private static String levelDir(int level) {
        return String.format("%04x/", level);
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        LtxNames.checkLevel(level);
        return Uni.createFrom().completionStage(() -> {
            String r = root;
            if (r != null) {
                return listLevel(r, level, minTxidAtLeast);
            }
            return listLevel("", level, minTxidAtLeast).thenCompose(plain -> {
                if (!plain.isEmpty()) {
                    root = "";
                    return CompletableFuture.completedFuture(plain);
                }
                return listLevel("/", level, minTxidAtLeast).handle((slashed, error) -> {
                    if (error == null) {
                        if (!slashed.isEmpty()) root = "/";
                        return slashed;
                    }
                    // Some servers (S3Proxy) reject keys that start with "/": then none can exist there.
                    if (S3Failures.unwrap(error).getCause() instanceof SdkServiceException se && se.statusCode() == 400) {
                        root = "";
                    }
                    return plain;
                });
            });
        });
    }

    private CompletableFuture<List<LtxFileInfo>> listLevel(String root, int level, long minTxidAtLeast) {
        String prefix = root + levelDir(level);
        // Every name with MinTXID >= m sorts after "<prefix><hex16(m)>", and every smaller one before it.
        String startAfter = minTxidAtLeast == 0 ? null : prefix + LtxNames.hex16(minTxidAtLeast);
        List<LtxFileInfo> files = new ArrayList<>();
        return page(prefix, level, minTxidAtLeast, startAfter, null, files).thenApply(v -> {
            files.sort(LtxNames::compare);
            return files;
        });
    }

    private CompletableFuture<Void> page(String prefix, int level, long minTxidAtLeast, String startAfter,
                                         String token, List<LtxFileInfo> files) {
        String what = "LIST s3://" + bucket + "/" + prefix
                + (token != null ? " (next page)" : startAfter != null ? " after " + startAfter.substring(prefix.length()) : "");
        return retrier.<ListObjectsV2Response>run(what, false, () -> {
            stats.lists.increment();
            return client.listObjectsV2(b -> {
                b.bucket(bucket).prefix(prefix).maxKeys(options.listPageSize());
                if (token != null) b.continuationToken(token);
                else if (startAfter != null) b.startAfter(startAfter);
            });
        }).thenCompose(resp -> {
            for (S3Object o : resp.contents()) {
                LtxFileInfo f = LtxNames.parse(level, o.key().substring(prefix.length()), o.size(), o.lastModified());
                if (f != null && LtxNames.startsAtLeast(f, minTxidAtLeast)) {
                    files.add(f);
                }
            }
            if (Boolean.TRUE.equals(resp.isTruncated()) && resp.nextContinuationToken() != null) {
                return page(prefix, level, minTxidAtLeast, startAfter, resp.nextContinuationToken(), files);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        LtxNames.checkRange(file, offset, length);
        if (length == 0) {
            return Uni.createFrom().item(new byte[0]);
        }
        return Uni.createFrom().completionStage(() -> {
            String key = key(file);
            String what = "GET s3://" + bucket + "/" + key + " bytes=" + offset + "-" + (offset + length - 1);
            RangeBody body = new RangeBody(offset, length, stats);
            return retrier.run(what, true, () -> {
                stats.gets.increment();
                String range = body.missingRange();
                // The SDK's own future: cancelling it (a timed-out attempt) aborts the request.
                return client.getObject(b -> b.bucket(bucket).key(key).range(range), body.attempt());
            });
        });
    }

    @Override
    public String location() {
        return location;
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

    @Override
    public String toString() {
        return "S3Store(" + location + ")";
    }
}
