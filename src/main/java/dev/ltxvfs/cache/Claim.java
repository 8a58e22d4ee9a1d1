package dev.ltxvfs.cache;

import java.util.concurrent.CompletableFuture;

/**
 * A page being fetched: the future its readers wait on, and why it is fetched. A reader joins
 * a demand or readahead fetch, but never waits behind hydration: it fetches the page itself.
 */
final class Claim extends CompletableFuture<byte[]> {

    enum Kind { DEMAND, READAHEAD, HYDRATION }

    final Kind kind;

    Claim(Kind kind) {
        this.kind = kind;
    }
}
