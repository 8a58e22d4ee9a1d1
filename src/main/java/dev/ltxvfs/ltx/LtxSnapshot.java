package dev.ltxvfs.ltx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a snapshot LTX file (MinTXID 1: every page from 1 to commit except the lock page) of a
 * SQLite database file. The file must be quiescent and complete: in WAL mode, checkpoint first,
 * since pages still in the WAL are not in the file.
 */
public final class LtxSnapshot {

    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private LtxSnapshot() {}

    /**
     * Writes the snapshot of {@code sqliteDbFile} as TXID range 1..{@code maxTxid} and returns its
     * header. Page size comes from database header bytes 16-17 (1 means 65536); commit is the file
     * length divided by the page size.
     */
    public static LtxHeader write(Path sqliteDbFile, long maxTxid, long timestampMillis, OutputStream out)
            throws IOException {
        try (FileChannel ch = FileChannel.open(sqliteDbFile, StandardOpenOption.READ)) {
            String source = sqliteDbFile.toString();
            ByteBuffer head = ByteBuffer.allocate(100);
            readFully(ch, head, 0, source);
            byte[] h = head.array();
            if (!java.util.Arrays.equals(h, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length)) {
                throw new IOException(source + ": not a SQLite database (bad header string)");
            }
            int raw = Bytes.u16(h, 16);
            int pageSize = raw == 1 ? 65536 : raw;
            if (!LtxHeader.isValidPageSize(pageSize)) {
                throw new IOException(source + ": invalid SQLite page size " + raw);
            }
            long size = ch.size();
            if (size % pageSize != 0 || size / pageSize > Integer.MAX_VALUE) {
                throw new IOException(source + ": file size " + size + " is not a whole number of "
                        + pageSize + "-byte pages (or too large)");
            }
            int commit = (int) (size / pageSize);
            LtxHeader header = LtxHeader.of(pageSize, commit, 1, maxTxid, timestampMillis);
            LtxEncoder enc = new LtxEncoder(out, header);
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            for (int pgno = 1; pgno <= commit; pgno++) {
                if (pgno == header.lockPage()) {
                    continue;
                }
                page.clear();
                readFully(ch, page, (long) (pgno - 1) * pageSize, source);
                enc.writePage(pgno, page.array(), 0);
            }
            enc.finish();
            return header;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos, String source) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new IOException(source + ": file shrank while being read (at byte " + pos + ")");
            }
            pos += n;
        }
    }
}
