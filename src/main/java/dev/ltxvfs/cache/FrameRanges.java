package dev.ltxvfs.cache;

import dev.ltxvfs.store.LtxFileInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups claimed frames into ranged reads: by file, in offset order, one read while the frames
 * lie close together (a gap is a superseded frame or another b-tree's page, cheaper to read
 * through than to pay a round trip for) and the read stays under a size.
 */
final class FrameRanges {
    private FrameRanges() {}

    static List<List<FrameFetch.Claimed>> of(List<FrameFetch.Claimed> frames, long maxBytes, long maxGap) {
        Map<LtxFileInfo, List<FrameFetch.Claimed>> byFile = new LinkedHashMap<>();
        for (FrameFetch.Claimed c : frames) {
            byFile.computeIfAbsent(c.frame().file(), f -> new ArrayList<>()).add(c);
        }
        List<List<FrameFetch.Claimed>> out = new ArrayList<>();
        for (List<FrameFetch.Claimed> inFile : byFile.values()) {
            inFile.sort(Comparator.comparingLong(c -> c.frame().offset()));
            List<FrameFetch.Claimed> range = new ArrayList<>();
            for (FrameFetch.Claimed c : inFile) {
                if (!range.isEmpty()) {
                    long start = range.getFirst().frame().offset();
                    long gap = c.frame().offset() - range.getLast().frame().end();
                    if (gap > maxGap || c.frame().end() - start > maxBytes) {
                        out.add(range);
                        range = new ArrayList<>();
                    }
                }
                range.add(c);
            }
            if (!range.isEmpty()) {
                out.add(range);
            }
        }
        return out;
    }
}
