package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.ltx.LtxPageIndex;
import dev.ltxvfs.store.LtxFileInfo;
import java.util.Objects;

/**
 * What index composition needs of one LTX file: its listing entry, its page index and, when it
 * was read, its header (null when only the tail was fetched and the header was not needed).
 */
public record FileIndex(LtxFileInfo file, LtxHeader header, LtxPageIndex pages) {

    public FileIndex {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pages, "pages");
    }

    public boolean hasHeader() {
        return header != null;
    }
}
