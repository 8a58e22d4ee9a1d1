package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.ReadStream;
import java.io.IOException;
import java.time.Instant;

/**
 * One immutable state of a database, as the VFS serves it. A connection pins one view for the
 * length of a read transaction, so a long read never sees a half-applied update.
 */
public interface ReplicaView {

    int pageSize();

    /** Database size in pages (the LTX commit). */
    long pageCount();

    /** The TXID this view shows. */
    long txid();

    /** When the newest transaction of this view was written (its LTX timestamp). */
    Instant timestamp();

    /**
     * The bytes of page {@code pgno} (1-based, at most {@link #pageCount()}), exactly
     * {@link #pageSize()} long, page 1 with the header as served ({@link PageOne}). The array is
     * shared: callers must not modify it. May block until the page is fetched; throws with a
     * message naming the object and the cause when it cannot be.
     *
     * @param stream the reader's sequential-access tracker (readahead), or null
     */
    byte[] page(int pgno, ReadStream stream) throws IOException;
}
