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
 * whose listing time cannot decide a plan, and for the moments of one history page (whose
 * database size only the header holds).
 */
final class HeaderTimes {
    private final ReplicaStore store;
    /** Headers fetched so far, for tests and diagnostics. */
    final LongAdder fetched = new LongAdder();

    HeaderTimes(ReplicaStore store) {
        this.store = store;
    }

    Uni<Map<LtxFileInfo, Instant>> of(Collection<LtxFileInfo> files) {
        return headers(files).onItem().transform(headers -> {
            Map<LtxFileInfo, Instant> out = new HashMap<>();
            headers.forEach((f, h) -> out.put(f, Instant.ofEpochMilli(h.timestamp())));
            return out;
        });
    }

    /** The headers of {@code files}, read in parallel (bounded). */
    Uni<Map<LtxFileInfo, LtxHeader>> headers(Collection<LtxFileInfo> files) {
        if (files.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<LtxFileInfo> list = List.copyOf(files);
        return Multi.createFrom().iterable(list)
                .onItem().transformToUni(f -> header(f).onItem().transform(h -> Map.entry(f, h)))
                .merge(IndexBuilder.DEFAULT_CONCURRENCY)
                .collect().asList()
                .onItem().transform(entries -> {
                    Map<LtxFileInfo, LtxHeader> out = new HashMap<>();
                    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
                    return out;
                });
    }

    Uni<Instant> of(LtxFileInfo f) {
        return header(f).onItem().transform(h -> Instant.ofEpochMilli(h.timestamp()));
    }

    /** The whole header of {@code f} (time and database size), checked against its name. */
    Uni<LtxHeader> header(LtxFileInfo f) {
        fetched.increment();
        String source = store.location() + " " + f;
        return store.read(f, 0, LtxHeader.SIZE).onItem().transformToUni(b -> {
            try {
                return Uni.createFrom().item(FileIndexReader.header(b, f, source));
            } catch (LtxFormatException e) {
                return Uni.createFrom().failure(e);
            }
        });
    }
}
