package dev.ltxvfs.cache;

import dev.ltxvfs.index.IndexSnapshot;
import java.util.Locale;

/**
 * How much of a database is read into the shared cache once its index is built: the whole of it
 * always ({@link #ON}), never ({@link #OFF}: page 1 and the schema only, which the first query
 * reads anyway), or ({@link #AUTO}) when its state fits comfortably, in at most half the cache,
 * else its hot set (page 1, the schema, the interior pages of every b-tree: small GETs, about one
 * per interior page). A whole-database read adds only its own large GETs: it reads the hot set
 * with the rest.
 */
public enum HydrateMode {
    AUTO, ON, OFF;

    /** How far reading ahead goes. */
    public enum Reach { SCHEMA, HOT_SET, WHOLE }

    /** {@code auto}, {@code on} or {@code off}, any case. */
    public static HydrateMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hydrate must be auto, on or off, not '" + s + "'");
        }
    }

    /** How much of {@code state} is read into {@code cache} under this mode. */
    public Reach reach(IndexSnapshot state, PageCache cache) {
        return switch (this) {
            case ON -> Reach.WHOLE;
            case OFF -> Reach.SCHEMA;
            case AUTO -> state.sizeBytes() <= cache.maxBytes() / 2 ? Reach.WHOLE : Reach.HOT_SET;
        };
    }
}
