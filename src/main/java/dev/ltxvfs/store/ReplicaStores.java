package dev.ltxvfs.store;

/** Opens the store a replica URL names. */
public final class ReplicaStores {
    private ReplicaStores() {}

    /** {@code file:///dir} or {@code s3://bucket/path?...}, with default S3 options. */
    public static ReplicaStore open(String url) {
        return open(ReplicaUrl.parse(url), S3Options.defaults());
    }

    public static ReplicaStore open(ReplicaUrl url, S3Options s3Options) {
        return switch (url.scheme()) {
            case FILE -> new LocalDirStore(url.directory());
            case S3 -> new S3Store(url, s3Options);
        };
    }
}
