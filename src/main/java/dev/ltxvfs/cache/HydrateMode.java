package dev.ltxvfs.cache;

import dev.ltxvfs.index.IndexSnapshot;
import java.util.Locale;

/**
 * Whether a database is read whole into the shared cache once its index is built: always, never,
 * or ({@link #AUTO}) when its state fits comfortably, in at most half the cache.
 */
public enum HydrateMode {
    AUTO, ON, OFF;

    /** {@code auto}, {@code on} or {@code off}, any case. */
    public static HydrateMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hydrate must be auto, on or off, not '" + s + "'");
        }
    }

    /** Whether {@code state} is hydrated into {@code cache} under this mode. */
    public boolean hydrates(IndexSnapshot state, PageCache cache) {
        return switch (this) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> state.sizeBytes() <= cache.maxBytes() / 2;
        };
    }
}
