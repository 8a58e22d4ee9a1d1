package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;

/** Where page {@code pgno}'s frame lies in one state: {@code size} bytes at {@code offset} of {@code file}. */
public record FrameLocation(int pgno, LtxFileInfo file, long offset, int size) {

    /** Offset just past this frame: where an adjacent frame would start. */
    public long end() {
        return offset + size;
    }
}
