package dev.ltxvfs.store;

import java.io.IOException;

/** A store request failed after its retries; the message names the object and the cause. */
public class StoreException extends IOException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
