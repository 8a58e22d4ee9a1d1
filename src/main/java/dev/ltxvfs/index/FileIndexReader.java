package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxFormatException;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.ltx.LtxPageIndex;
import dev.ltxvfs.ltx.LtxTail;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.io.IOException;

/**
 * Fetches the page index (and, if asked, the header) of one LTX file with as few reads as
 * possible: one tail read ({@link #tailBytes}); one more only if the index starts before that
 * tail. The header comes free when the tail is the whole file; otherwise,
 * only when wanted, one 100-byte read issued in parallel with the tail read.
 */
public final class FileIndexReader {

    private final ReplicaStore store;

    public FileIndexReader(ReplicaStore store) {
        this.store = store;
    }

    /** The name used in error messages: store location and file. */
    public String source(LtxFileInfo f) {
        return store.location() + " " + f;
    }

    public Uni<FileIndex> read(LtxFileInfo f, boolean wantHeader) {
        String source = source(f);
        Uni<FileIndex> index = readTail(f, source).onItem().transformToUni(tail -> {
            try {
                LtxPageIndex pages = LtxTail.decodeIndex(tail.bytes, tail.offset, f.size(), source);
                // When the tail is the whole file, the header came with it.
                LtxHeader header = tail.offset == 0 ? header(tail.bytes, f, source) : null;
                return Uni.createFrom().item(new FileIndex(f, header, pages));
            } catch (LtxFormatException e) {
                return Uni.createFrom().failure(e);
            }
        });
        if (wantHeader && f.size() > tailBytes(f)) {
            // The tail cannot hold the header: fetch it alongside, not after.
            Uni<LtxHeader> header = store.read(f, 0, LtxHeader.SIZE).onItem().transformToUni(b -> {
                try {
                    return Uni.createFrom().item(header(b, f, source));
                } catch (LtxFormatException e) {
                    return Uni.createFrom().failure(e);
                }
            });
            index = Uni.combine().all().unis(index, header).asTuple()
                    .onItem().transform(t -> new FileIndex(f, t.getItem2(), t.getItem1().pages()));
        }
        // Store and format errors already name the object; anything else gets the name here.
        return index.onFailure(e -> !(e instanceof IOException))
                .transform(e -> new LtxFormatException(source, "cannot read page index: " + e, e));
    }

    /**
     * How much of the end of {@code f} the first read takes: {@link LtxTail#DEFAULT_READ}, or 1% of
     * a large file. An index entry is about 9 bytes a frame, so 1% holds the whole index whenever
     * frames average 1 KiB or more (a compressed page), saving the second round trip of every large
     * snapshot at the open for at most 1% more bytes.
     */
    static int tailBytes(LtxFileInfo f) {
        return (int) Math.max(LtxTail.DEFAULT_READ, Math.min(f.size() / 100, MAX_TAIL_GUESS));
    }

    /** The first tail read of a very large file stays below this; the rest of its index is read after. */
    static final int MAX_TAIL_GUESS = 16 << 20;

    /** The bytes from where the index starts to the end of the file: one read, two if the index is big. */
    private Uni<Tail> readTail(LtxFileInfo f, String source) {
        return store.readTail(f, tailBytes(f)).onItem().transformToUni(tail -> {
            long tailOffset = f.size() - tail.length;
            long start;
            try {
                start = LtxTail.indexStart(tail, f.size(), source);
            } catch (LtxFormatException e) {
                return Uni.createFrom().failure(e);
            }
            if (start >= tailOffset) {
                return Uni.createFrom().item(new Tail(tail, tailOffset));
            }
            return store.read(f, start, (int) (f.size() - start)).onItem().transform(more -> new Tail(more, start));
        });
    }

    /** Decodes a header and checks it belongs to the file the listing named. */
    static LtxHeader header(byte[] b, LtxFileInfo f, String source) throws LtxFormatException {
        LtxHeader h = LtxHeader.decode(b, 0, source);
        if (h.minTxid() != f.minTxid() || h.maxTxid() != f.maxTxid()) {
            throw new LtxFormatException(source, String.format("header says TXIDs %016x-%016x, the name %s",
                    h.minTxid(), h.maxTxid(), f.fileName()));
        }
        return h;
    }

    private record Tail(byte[] bytes, long offset) {
    }
}
