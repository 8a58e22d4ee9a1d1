package dev.ltxvfs.cache;

import java.io.IOException;

/** A page did not arrive within the caller's deadline; the fetch goes on and may fill the cache. */
public final class PageReadTimeoutException extends IOException {
    public PageReadTimeoutException(String message) {
        super(message);
    }
}
