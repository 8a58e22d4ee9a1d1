package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The folders directly under one prefix, each of which may hold a Litestream replica: what a
 * catalog lists and opens. Every listing or probe is one request (a LIST with a delimiter on S3,
 * one directory read on a local disk); replicas opened here share the catalog's S3 client.
 */
public interface CatalogStore extends AutoCloseable {

    /** One page of folder names (sorted) and the token of the next page, null at the end. */
    record Page(List<String> folders, String next) {}

    /** What a folder holds. */
    enum Probe {
        /** Level folders of a Litestream replica ({@code 0000/}, {@code 0001/}...; {@code ltx/} locally). */
        REPLICA,
        /** Nothing at all: the folder does not exist. */
        MISSING,
        /** Something, but not a replica's layout. */
        NOT_A_REPLICA
    }

    /** At most {@code max} folder names after the page {@code token} names (null: the first page). */
    Uni<Page> folders(String token, int max);

    /** What {@code folder} holds, in one request. */
    Uni<Probe> probe(String folder);

    /** The replica in {@code folder}; closing it leaves the catalog's shared parts open. */
    ReplicaStore replica(String folder);

    /** Where the catalog reads from, safe to log (no credentials). */
    String location();

    /** The catalog's own requests (listings and probes), not its replicas'. */
    StoreStats stats();

    @Override
    void close();

    /**
     * The catalog a URL names. The URL must name a folder: {@code s3://bucket[/prefix]} or
     * {@code file:///dir} (a directory, or nothing yet), never a file or a replica's level folder.
     */
    static CatalogStore open(ReplicaUrl url, S3Options options) {
        return switch (url.scheme()) {
            case FILE -> {
                if (java.nio.file.Files.exists(url.directory()) && !java.nio.file.Files.isDirectory(url.directory())) {
                    throw new IllegalArgumentException("a catalog URL must name a folder: " + url + " is a file");
                }
                yield new LocalCatalogStore(url.directory());
            }
            case S3 -> {
                String last = url.path().substring(url.path().lastIndexOf('/') + 1);
                if (last.endsWith(".ltx") || last.matches("[0-9a-f]{4}")) {
                    throw new IllegalArgumentException("a catalog URL must name a folder of replicas, not an LTX file or a"
                            + " replica's level folder: " + url);
                }
                yield new S3CatalogStore(url, options);
            }
        };
    }
}
