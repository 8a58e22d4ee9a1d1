package dev.ltxvfs.cache;

import java.util.concurrent.CompletableFuture;

/**
 * A page being fetched: the future its readers wait on, and why it is fetched. A reader joins
 * a demand or readahead fetch, but never waits behind hydration alone: it fetches the page itself
 * and takes whichever comes first, its own GET or hydration's (decoding its page from hydration's
 * bytes the moment they are in, not when hydration's decoding reaches it).
 */
final class Claim extends CompletableFuture<byte[]> {

    enum Kind { DEMAND, READAHEAD, HYDRATION }

    final Kind kind;
    /** A hydration claim's GET, set when it starts: completes with its bytes when they are in. */
    volatile CompletableFuture<FrameFetch.Body> body;

    Claim(Kind kind) {
        this.kind = kind;
    }
}
