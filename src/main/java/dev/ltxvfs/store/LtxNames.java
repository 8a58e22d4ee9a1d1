package dev.ltxvfs.store;

import java.time.Instant;

/**
 * Object names of LTX files, {@code %016x-%016x.ltx}, as both replica layouts use them. Kept here
 * rather than borrowed from {@code ltx/}: the store sits above the format and must not depend on it.
 */
final class LtxNames {
    /** Levels are 0..9: 9 holds snapshots. */
    static final int MAX_LEVEL = 9;
    private static final int LENGTH = 16 + 1 + 16 + 4;

    private LtxNames() {}

    /** The file described by {@code name}, or null when the name is not an LTX file name. */
    static LtxFileInfo parse(int level, String name, long size, Instant createdAt) {
        if (name.length() != LENGTH || name.charAt(16) != '-' || !name.endsWith(".ltx")) {
            return null;
        }
        for (int i = 0; i < 33; i++) {
            char c = name.charAt(i);
            if (i != 16 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        long min = Long.parseUnsignedLong(name, 0, 16, 16);
        long max = Long.parseUnsignedLong(name, 17, 33, 16);
        return new LtxFileInfo(level, min, max, size, createdAt);
    }

    static String hex16(long txid) {
        String s = Long.toHexString(txid);
        return "0".repeat(16 - s.length()) + s;
    }

    /** Listing order: level, then MinTXID, then MaxTXID (TXIDs are unsigned). */
    static int compare(LtxFileInfo a, LtxFileInfo b) {
        int c = a.level() != b.level() ? Integer.compare(a.level(), b.level()) : Long.compareUnsigned(a.minTxid(), b.minTxid());
        return c != 0 ? c : Long.compareUnsigned(a.maxTxid(), b.maxTxid());
    }

    static boolean startsAtLeast(LtxFileInfo f, long minTxidAtLeast) {
        return Long.compareUnsigned(f.minTxid(), minTxidAtLeast) >= 0;
    }

    static void checkLevel(int level) {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("LTX level must be 0.." + MAX_LEVEL + ", not " + level);
        }
    }

    static void checkRange(LtxFileInfo file, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range of " + file + ": offset " + offset + ", length " + length);
        }
    }
}
