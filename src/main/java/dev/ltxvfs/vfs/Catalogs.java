package dev.ltxvfs.vfs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.vfs.Polling;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;

/**
 * The catalogs of a registry, searched in the order of their names: a name is served by the first
 * catalog whose folder of that name holds a replica. Finding out costs one request per catalog
 * (a probe), and a miss is remembered for a short while, so guessing names cannot turn every
 * guess into storage requests. A failed probe (storage down) is remembered nowhere.
 */
final class Catalogs {
    /** One catalog: its folders, how its databases poll, how one is made from a folder's store. */
    record Catalog(String name, CatalogStore store, Polling polling, BiFunction<String, ReplicaStore, VfsDatabase> open) {}

    private final Map<String, Catalog> byName = new ConcurrentSkipListMap<>();
    private final Cache<String, String> misses;
    private final Duration probeDeadline;

    Catalogs(Duration missMemory, Duration probeDeadline) {
        this.misses = Caffeine.newBuilder().expireAfterWrite(missMemory).maximumSize(100_000).build();
        this.probeDeadline = probeDeadline;
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    void add(Catalog c) {
        Catalog old = byName.put(c.name(), c);
        if (old != null) {
            old.store().close();
        }
    }

    Catalog get(String name) {
        return byName.get(name);
    }

    Collection<Catalog> all() {
        return byName.values();
    }

    /** Fails at once, with no request, when every catalog remembers {@code name} as missing. */
    void requireNotMissed(String name) throws NoSuchDatabaseException {
        List<String> reasons = new ArrayList<>();
        for (Catalog c : byName.values()) {
            String miss = misses.getIfPresent(key(c, name));
            if (miss == null) {
                return;
            }
            reasons.add(miss);
        }
        throw notFound(name, reasons);
    }

    /** Opens {@code name} from the first catalog holding it (one probe per catalog not remembered as a miss). */
    RegistryEntry.Opened open(String name) throws IOException {
        List<String> reasons = new ArrayList<>();
        for (Catalog c : byName.values()) {
            String key = key(c, name);
            String miss = misses.getIfPresent(key);
            if (miss != null) {
                reasons.add(miss);
                continue;
            }
            CatalogStore.Probe p = probe(c, name);
            if (p == CatalogStore.Probe.REPLICA) {
                ReplicaStore store = c.store().replica(name);
                return new RegistryEntry.Opened(c.open().apply(name, store), store.location(), c.name(), c.polling());
            }
            String reason = p == CatalogStore.Probe.MISSING
                    ? "catalog '" + c.name() + "' has no folder '" + name + "'"
                    : "the folder '" + name + "' of catalog '" + c.name() + "' holds no Litestream replica (no level folders)";
            misses.put(key, reason);
            reasons.add(reason);
        }
        throw notFound(name, reasons);
    }

    private CatalogStore.Probe probe(Catalog c, String name) throws IOException {
        try {
            return c.store().probe(name).await().atMost(probeDeadline);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof IOException io ? io : e;
            throw new IOException("storage unavailable while looking for '" + name + "' in catalog '" + c.name() + "' ("
                    + c.store().location() + "): " + RegistryEntry.rootMessage(cause), cause);
        }
    }

    private static NoSuchDatabaseException notFound(String name, List<String> reasons) {
        return new NoSuchDatabaseException("no database named '" + name + "'"
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
    }

    private static String key(Catalog c, String name) {
        return c.name() + "/" + name;
    }

    void close() {
        byName.values().forEach(c -> c.store().close());
        byName.clear();
    }
}
