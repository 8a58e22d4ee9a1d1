package dev.ltxvfs.cache;

/**
 * Identity of one page frame: which replica, which LTX file (level + TXID range), where in it.
 * LTX files are immutable, so the bytes behind a key never change; a newer version of a page
 * lives in another file, hence under another key. No entry can be stale.
 */
record FrameKey(int store, int level, long minTxid, long maxTxid, long offset) {
}
