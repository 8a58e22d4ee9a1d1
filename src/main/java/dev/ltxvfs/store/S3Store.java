package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A replica in an S3 bucket, in Litestream's S3 layout: {@code <path>/<level %04x>/<min>-<max>.ltx}.
 * The whole replica is one LIST while it has fewer files than a page ({@link #listAll}); a level's
 * listing seeks with StartAfter (keys sort by MinTXID) and pages with continuation tokens, so a
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
    private final S3Listing listing;
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
        this.listing = new S3Listing(client, bucket, retrier, stats);
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
    public Uni<List<LtxFileInfo>> listAll() {
        return Uni.createFrom().completionStage(() -> atRoot(this::listLevels));
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        LtxNames.checkLevel(level);
        return Uni.createFrom().completionStage(() -> atRoot(r -> listLevel(r, level, minTxidAtLeast)));
    }

    /** {@code listing} under the root, which for an empty path the first listing that finds files decides. */
    private CompletableFuture<List<LtxFileInfo>> atRoot(Function<String, CompletableFuture<List<LtxFileInfo>>> listing) {
        String r = root;
        if (r != null) {
            return listing.apply(r);
        }
        return listing.apply("").thenCompose(plain -> {
            if (!plain.isEmpty()) {
                root = "";
                return CompletableFuture.completedFuture(plain);
            }
            return listing.apply("/").handle((slashed, error) -> {
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
    }

    /**
     * Levels 0..9 in one LIST: their folders {@code 0000/}..{@code 0009/} are the keys under
     * {@code <root>000}, in level order. When that page is truncated (a replica of more files than a
     * page), the rest goes per level in parallel: the level the page stopped in from its last key on,
     * the levels after it from their start. So a big replica costs at most one round trip more than
     * listing every level on its own, and the common one costs one request instead of ten.
     */
    private CompletableFuture<List<LtxFileInfo>> listLevels(String root) {
        return listing.page(root + "000", null, null, null, options.listPageSize()).thenCompose(first -> {
            List<LtxFileInfo> files = new ArrayList<>();
            collect(first, root, 0, files);
            if (S3Listing.next(first) == null) {
                return CompletableFuture.completedFuture(sorted(files));
            }
            String last = first.contents().isEmpty() ? "" : first.contents().getLast().key();
            List<CompletableFuture<List<LtxFileInfo>>> rest = new ArrayList<>();
            for (int level = 0; level <= LtxNames.MAX_LEVEL; level++) {
                String prefix = root + levelDir(level);
                if (last.startsWith(prefix)) {
                    rest.add(pages(root, prefix, last, 0));
                } else if (last.compareTo(prefix) < 0) {
                    rest.add(pages(root, prefix, null, 0));
                } // else the first page held all of it
            }
            return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).thenApply(v -> {
                rest.forEach(f -> files.addAll(f.join()));
                return sorted(files);
            });
        });
    }

    private CompletableFuture<List<LtxFileInfo>> listLevel(String root, int level, long minTxidAtLeast) {
        String prefix = root + levelDir(level);
        // Every name with MinTXID >= m sorts after "<prefix><hex16(m)>", and every smaller one before it.
        String startAfter = minTxidAtLeast == 0 ? null : prefix + LtxNames.hex16(minTxidAtLeast);
        return pages(root, prefix, startAfter, minTxidAtLeast).thenApply(S3Store::sorted);
    }

    /** The LTX files among the keys under {@code prefix} after {@code startAfter}, every page of them. */
    private CompletableFuture<List<LtxFileInfo>> pages(String root, String prefix, String startAfter, long minTxidAtLeast) {
        List<LtxFileInfo> files = new ArrayList<>();
        return pages(root, prefix, startAfter, null, minTxidAtLeast, files).thenApply(v -> files);
    }

    private CompletableFuture<Void> pages(String root, String prefix, String startAfter, String token,
                                          long minTxidAtLeast, List<LtxFileInfo> files) {
        return listing.page(prefix, null, startAfter, token, options.listPageSize()).thenCompose(resp -> {
            collect(resp, root, minTxidAtLeast, files);
            String next = S3Listing.next(resp);
            return next == null
                    ? CompletableFuture.<Void>completedFuture(null)
                    : pages(root, prefix, startAfter, next, minTxidAtLeast, files);
        });
    }

    /** Adds the page's LTX files ({@code <root><level %04x>/<name>}) with MinTXID >= {@code minTxidAtLeast}. */
    private static void collect(ListObjectsV2Response page, String root, long minTxidAtLeast, List<LtxFileInfo> files) {
        for (S3Object o : page.contents()) {
            String key = o.key();
            int at = root.length();
            // "000" + one decimal digit: levels 0..9 (%04x), nothing else Litestream writes.
            if (key.length() <= at + 5 || !key.startsWith("000", at) || key.charAt(at + 4) != '/') continue;
            char digit = key.charAt(at + 3);
            if (digit < '0' || digit > '9') continue;
            LtxFileInfo f = LtxNames.parse(digit - '0', key.substring(at + 5), o.size(), o.lastModified());
            if (f != null && LtxNames.startsAtLeast(f, minTxidAtLeast)) {
                files.add(f);
            }
        }
    }

    private static List<LtxFileInfo> sorted(List<LtxFileInfo> files) {
        files.sort(LtxNames::compare);
        return files;
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
