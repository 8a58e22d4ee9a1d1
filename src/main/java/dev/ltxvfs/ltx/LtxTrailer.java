package dev.ltxvfs.ltx;

/**
 * The 16-byte trailer (spec 1.4): post-apply database checksum (0 under NoChecksum) and the file
 * checksum, {@code CHECKSUM_FLAG | crc64} of every byte before it.
 */
public record LtxTrailer(long postApplyChecksum, long fileChecksum) {
    public static final int SIZE = 16;
}
