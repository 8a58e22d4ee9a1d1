package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxFormatException;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads LTX header timestamps, the time Litestream's point-in-time restore goes by: one 100-byte
 * ranged GET per file (the same cost as the HEAD Litestream issues for its
 * {@code litestream-timestamp} metadata, and true for any writer). Only called for the few files
 * whose listing time cannot decide a plan.
 */
final class HeaderTimes {
    private final ReplicaStore store;
    /** Headers fetched so far, for tests and diagnostics. */
    final LongAdder fetched = new LongAdder();

    HeaderTimes(ReplicaStore store) {
        this.store = store;
    }

    Uni<Map<LtxFileInfo, Instant>> of(Collection<LtxFileInfo> files) {
        if (files.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<LtxFileInfo> list = List.copyOf(files);
        return Multi.createFrom().iterable(list)
                .onItem().transformToUni(f -> of(f).onItem().transform(t -> Map.entry(f, t)))
                .merge(IndexBuilder.DEFAULT_CONCURRENCY)
                .collect().asList()
                .onItem().transform(entries -> {
                    Map<LtxFileInfo, Instant> out = new HashMap<>();
                    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
                    return out;
                });
    }

    Uni<Instant> of(LtxFileInfo f) {
        fetched.increment();
        String source = store.location() + " " + f;
        return store.read(f, 0, LtxHeader.SIZE).onItem().transformToUni(b -> {
            try {
                return Uni.createFrom().item(Instant.ofEpochMilli(FileIndexReader.header(b, f, source).timestamp()));
            } catch (LtxFormatException e) {
                return Uni.createFrom().failure(e);
            }
        });
    }
}
