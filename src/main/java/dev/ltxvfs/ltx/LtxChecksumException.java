package dev.ltxvfs.ltx;

/** The file checksum in the trailer does not match the CRC-64 of what was read. */
public class LtxChecksumException extends LtxFormatException {

    public LtxChecksumException(String source, long expected, long actual) {
        super(source, String.format("file checksum mismatch: trailer says %016x, content gives %016x",
                expected, actual));
    }
}
