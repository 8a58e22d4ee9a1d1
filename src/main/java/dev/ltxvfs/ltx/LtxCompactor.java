package dev.ltxvfs.ltx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges a TXID-contiguous run of LTX files into one (spec 1.8), as Litestream's level compaction
 * does: each pgno comes from the newest input that holds it, pages past the last input's commit
 * are dropped (that is how a shrinking database truncates), and the output spans
 * {@code first.min..last.max} with the last input's commit and timestamp.
 *
 * <p>A k-way merge by pgno: inputs are streamed, holding one decoded page per input. Every input
 * is verified in full (checksum included) as it is consumed. Output is written as the merge goes,
 * so on any exception the caller must discard what was written. The output is always NoChecksum,
 * so its pre- and post-apply checksums are 0 and the WAL fields and node id are dropped. The
 * caller owns (and closes) the input and output streams.
 */
public final class LtxCompactor {

    /** One input file: its bytes and a name for error messages. */
    public record Input(InputStream in, String source) {}

    private LtxCompactor() {}

    /** TXID contiguity as Litestream checks it: {@code next.min <= prev.max+1 && next.max > prev.max}. */
    public static boolean isContiguous(long prevMaxTxid, long minTxid, long maxTxid) {
        return Long.compareUnsigned(minTxid, prevMaxTxid + 1) <= 0 && Long.compareUnsigned(maxTxid, prevMaxTxid) > 0;
    }

    /**
     * Compacts {@code inputs} (oldest first) into {@code out} and returns the output header.
     *
     * @throws LtxFormatException if an input is invalid, page sizes differ, the TXID ranges are not
     *     contiguous, or a snapshot output would have a gap
     */
    public static LtxHeader compact(List<Input> inputs, OutputStream out) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input required");
        }
        List<Cursor> cursors = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            LtxDecoder dec = new LtxDecoder(inputs.get(i).in(), inputs.get(i).source());
            dec.header();
            cursors.add(new Cursor(i, dec));
        }
        for (int i = 1; i < cursors.size(); i++) {
            LtxDecoder prev = cursors.get(i - 1).dec, next = cursors.get(i).dec;
            LtxHeader p = prev.header(), h = next.header();
            if (p.pageSize() != h.pageSize()) {
                throw new LtxFormatException(next.source(), "page size " + h.pageSize() + " differs from "
                        + p.pageSize() + " of " + prev.source());
            }
            if (!isContiguous(p.maxTxid(), h.minTxid(), h.maxTxid())) {
                throw new LtxFormatException(next.source(), String.format(
                        "TXIDs %d..%d do not follow %d..%d of %s", h.minTxid(), h.maxTxid(), p.minTxid(), p.maxTxid(), prev.source()));
            }
        }
        LtxHeader first = cursors.getFirst().dec.header(), last = cursors.getLast().dec.header();
        LtxHeader header = LtxHeader.of(first.pageSize(), last.commit(), first.minTxid(), last.maxTxid(), last.timestamp());
        LtxEncoder enc = new LtxEncoder(out, header);

        // Lowest pgno first; for equal pgnos the newest input (highest position) first.
        PriorityQueue<Cursor> queue = new PriorityQueue<>(cursors.size(),
                (a, b) -> a.pgno != b.pgno ? Integer.compare(a.pgno, b.pgno) : Integer.compare(b.position, a.position));
        for (Cursor c : cursors) {
            if (c.advance(header.pageSize())) {
                queue.add(c);
            }
        }
        int written = 0;
        while (!queue.isEmpty()) {
            Cursor winner = queue.poll();
            int pgno = winner.pgno;
            if (pgno <= header.commit()) {
                int expected = written + 1 == header.lockPage() ? written + 2 : written + 1;
                if (header.isSnapshot() && pgno != expected) {
                    throw gap(cursors, expected);
                }
                enc.writePage(pgno, winner.page, 0);
                written = pgno;
            }
            // Older copies of the same page are skipped.
            while (!queue.isEmpty() && queue.peek().pgno == pgno) {
                Cursor older = queue.poll();
                if (older.advance(header.pageSize())) {
                    queue.add(older);
                }
            }
            if (winner.advance(header.pageSize())) {
                queue.add(winner);
            }
        }
        int lastPage = header.commit() == header.lockPage() ? header.commit() - 1 : header.commit();
        if (header.isSnapshot() && written != lastPage) {
            throw gap(cursors, written + 1);
        }
        enc.finish();
        return header;
    }

    private static LtxFormatException gap(List<Cursor> cursors, int missing) {
        return new LtxFormatException(cursors.getFirst().dec.source() + ".." + cursors.getLast().dec.source(),
                "compacted snapshot would lack page " + missing);
    }

    /** One input's current page. */
    private static final class Cursor {
        final int position;
        final LtxDecoder dec;
        byte[] page;
        int pgno;

        Cursor(int position, LtxDecoder dec) {
            this.position = position;
            this.dec = dec;
        }

        /** Reads the next page; false (with the input fully verified) at its end. */
        boolean advance(int pageSize) throws IOException {
            if (page == null) {
                page = new byte[pageSize];
            }
            pgno = dec.readPage(page, 0);
            return pgno != 0;
        }
    }
}
