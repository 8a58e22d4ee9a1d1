package dev.ltxvfs.api;

import dev.ltxvfs.api.StartupTimeline.Moment;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.vfs.LitestreamVfs;
import io.quarkus.runtime.configuration.ConfigUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the first answer needs, started from {@link Main} before Quarkus boots, on two threads beside
 * it: registering the VFS (which loads sqlite-jdbc's native library and our extension), and for every
 * configured database its S3 client and index build (LISTs and tail reads). {@link Databases} adopts
 * each opening whose name and replica URL Quarkus's configuration confirms; it builds anything else
 * itself, so a difference between the two readings costs time, never correctness.
 *
 * <p>The configuration is read with Quarkus's own builder (the same sources and profile); the one
 * static here is the hand-over from {@code main} to the CDI beans, which do not exist yet.
 */
final class EarlyStart {
    private static final Logger LOG = Logger.getLogger(EarlyStart.class);

    /**
     * A database whose store is open and whose first index build is under way. (A class, not a
     * record: the api package's records are its JSON, see NativeReflectionTest.)
     */
    static final class Opening {
        final String url;
        final LiveReplica replica;
        final CompletableFuture<IndexSnapshot> firstIndex;

        Opening(String url, LiveReplica replica, CompletableFuture<IndexSnapshot> firstIndex) {
            this.url = url;
            this.replica = replica;
            this.firstIndex = firstIndex;
        }
    }

    private static final CompletableFuture<Map<String, Opening>> OPENINGS = new CompletableFuture<>();
    private static volatile boolean begun;

    private EarlyStart() {}

    /** Starts the work and returns at once. */
    static void begin() {
        begun = true;
        Thread.ofPlatform().name("ltxvfs-early-vfs").start(() -> {
            try {
                LitestreamVfs.register();
                StartupTimeline.mark(Moment.VFS_REGISTERED);
            } catch (RuntimeException | Error e) {
                LOG.debugf("registering the VFS early failed (retried when a database is served): %s", e);
            }
        });
        Thread.ofPlatform().name("ltxvfs-early-open").start(() -> {
            Map<String, Opening> openings = new HashMap<>();
            try {
                LtxvfsConfig config = ConfigUtils.configBuilder().withMapping(LtxvfsConfig.class).build()
                        .getConfigMapping(LtxvfsConfig.class);
                S3Options options = Databases.s3Options(config);
                config.databases().forEach((name, d) -> openings.put(name, open(name, d.replicaUrl(), options)));
            } catch (RuntimeException | Error e) {
                LOG.debugf("no early start (Quarkus starts the databases): %s", e);
            } finally {
                OPENINGS.complete(openings);
            }
        });
    }

    private static Opening open(String name, String url, S3Options options) {
        ReplicaStore store = Databases.openStore(url, options);
        LiveReplica replica = new LiveReplica(store);
        CompletableFuture<IndexSnapshot> first = replica.rebuild().subscribeAsCompletionStage();
        first.thenRun(() -> StartupTimeline.mark(Moment.LIST_AND_TAILS));
        LOG.debugf("database '%s': index build started before Quarkus boot", name);
        return new Opening(url, replica, first);
    }

    /**
     * The opening of database {@code name} if it was started early from the same replica URL; waits
     * a moment for the early thread when it is still reading the configuration.
     */
    static Optional<Opening> take(String name, String url) {
        if (!begun) {
            return Optional.empty();
        }
        Map<String, Opening> openings;
        try {
            openings = OPENINGS.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
        synchronized (openings) {
            Opening o = openings.get(name);
            if (o == null || !o.url.equals(url)) {
                return Optional.empty();
            }
            openings.remove(name);
            return Optional.of(o);
        }
    }

    /** Closes the openings nobody took (the configuration Quarkus read differs). */
    static void discardUntaken() {
        Map<String, Opening> openings = OPENINGS.getNow(null);
        if (openings == null) {
            return;
        }
        synchronized (openings) {
            openings.values().forEach(o -> o.replica.store().close());
            openings.clear();
        }
    }
}
