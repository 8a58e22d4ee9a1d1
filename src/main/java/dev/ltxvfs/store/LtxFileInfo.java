package dev.ltxvfs.store;

import java.time.Instant;

/**
 * One LTX object in a replica, as a listing shows it. LTX files are immutable, so this value
 * (level + TXID range) identifies the bytes for good.
 *
 * @param createdAt when the object was written: S3 LastModified, or the file's mtime (which
 *     Litestream's file replica sets to the LTX header timestamp)
 */
public record LtxFileInfo(int level, long minTxid, long maxTxid, long size, Instant createdAt) {

    /** The object name inside its level: {@code %016x-%016x.ltx}. */
    public String fileName() {
        return String.format("%016x-%016x.ltx", minTxid, maxTxid);
    }

    @Override
    public String toString() {
        return "L" + level + "/" + fileName();
    }
}
