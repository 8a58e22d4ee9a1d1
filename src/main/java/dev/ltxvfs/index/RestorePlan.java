package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import java.util.List;

/**
 * The files to apply, in order, to reach {@code target}: a level-9 snapshot (if any) and then
 * the fewest files of levels 8..0 that chain TXIDs up to the target. Later files win per page.
 */
public record RestorePlan(RestoreTarget target, List<LtxFileInfo> files) {

    public RestorePlan {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a restore plan has at least one file");
        }
    }

    /** The file whose header gives the state's commit, page size and timestamp. */
    public LtxFileInfo last() {
        return files.getLast();
    }

    /** The TXID of the state this plan reaches. */
    public long txid() {
        return last().maxTxid();
    }

    public int size() {
        return files.size();
    }
}
