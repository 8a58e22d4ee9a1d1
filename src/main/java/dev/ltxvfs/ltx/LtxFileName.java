package dev.ltxvfs.ltx;

/**
 * An LTX object name, {@code %016x-%016x.ltx} (MinTXID-MaxTXID, lowercase hex). Names that do not
 * match exactly are not LTX files, as Litestream's listing skips them.
 */
public record LtxFileName(long minTxid, long maxTxid) {

    private static final int LENGTH = 16 + 1 + 16 + 4;

    public static String format(long minTxid, long maxTxid) {
        return hex16(minTxid) + "-" + hex16(maxTxid) + ".ltx";
    }

    /** The TXID range named by {@code name}, or null when it is not an LTX file name. */
    public static LtxFileName parse(String name) {
        if (name == null || name.length() != LENGTH || name.charAt(16) != '-' || !name.endsWith(".ltx")) {
            return null;
        }
        for (int i = 0; i < 33; i++) {
            char c = name.charAt(i);
            if (i != 16 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return new LtxFileName(Long.parseUnsignedLong(name, 0, 16, 16), Long.parseUnsignedLong(name, 17, 33, 16));
    }

    @Override
    public String toString() {
        return format(minTxid, maxTxid);
    }

    private static String hex16(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}
