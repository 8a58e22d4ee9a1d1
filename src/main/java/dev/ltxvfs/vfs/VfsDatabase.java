package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.ReadStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A database the {@code litestream} VFS serves: its live view and its past. */
public interface VfsDatabase {

    String name();

    /** The newest view; may wait (up to a deadline) for the first index to be built. */
    ReplicaView current() throws IOException;

    /**
     * The view at a point in time, as {@code PRAGMA litestream_time} takes it (RFC 3339 or a
     * relative phrase such as {@code 5 minutes ago}). {@link IllegalArgumentException} for a value
     * that cannot be parsed or a time before the oldest retained one, with a message saying which.
     */
    ReplicaView at(String when) throws IOException;

    /**
     * Exactly the state after {@code txid}: the live view when it is that state, else rebuilt from
     * the replica; a {@link PointInTimeException} when the replica no longer reaches it.
     */
    ReplicaView atTxid(long txid) throws IOException;

    /** Whole seconds since the last successful poll; -1 before the first. */
    long lagSeconds();

    /** A connection's sequential-read tracker, for readahead; null for none. */
    default ReadStream newStream() {
        return null;
    }

    /** Percent of the database hydration has read into the cache; 0 when hydration is off. */
    default double hydrationProgress() {
        return 0;
    }

    /** Starts opening (the index build) without waiting; the registry calls it when it opens the database. */
    default CompletableFuture<?> start() {
        return CompletableFuture.completedFuture(null);
    }

    /** One poll for new transactions; completes with true when the database advanced. */
    default CompletableFuture<Boolean> poll() {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * True when the database was deleted from storage (its files are gone): the registry then
     * closes it and looks for it again.
     */
    default boolean gone() {
        return false;
    }

    /** Frees what the database holds; the registry calls it when it closes the database. */
    default void close() {}
}
