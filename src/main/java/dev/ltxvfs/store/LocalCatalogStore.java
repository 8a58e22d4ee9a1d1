package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A catalog in a local directory: every subdirectory may hold a replica in the layout of
 * Litestream's file replica ({@code <folder>/ltx/<level>/}). The page token is the last name of
 * the page before.
 */
final class LocalCatalogStore implements CatalogStore {
    private final Path dir;
    private final StoreStats stats = new StoreStats();

    LocalCatalogStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Uni<Page> folders(String token, int max) {
        return Uni.createFrom().emitter(em -> {
            stats.lists.increment();
            List<String> names = new ArrayList<>();
            try (Stream<Path> all = Files.list(dir)) {
                all.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(n -> token == null || n.compareTo(token) > 0)
                        .sorted().limit(max + 1L).forEach(names::add);
            } catch (IOException e) {
                stats.failures.increment();
                em.fail(new StoreException("cannot list " + dir + ": " + e.getMessage(), e));
                return;
            }
            boolean more = names.size() > max;
            List<String> page = more ? names.subList(0, max) : names;
            em.complete(new Page(List.copyOf(page), more ? page.getLast() : null));
        });
    }

    @Override
    public Uni<Probe> probe(String folder) {
        return Uni.createFrom().emitter(em -> {
            stats.lists.increment();
            Path f = dir.resolve(folder);
            if (!Files.isDirectory(dir)) {
                stats.failures.increment();
                em.fail(new StoreException("the catalog directory " + dir + " is missing", null));
            } else if (Files.isDirectory(f.resolve("ltx"))) {
                em.complete(hasLevels(f.resolve("ltx")) ? Probe.REPLICA : Probe.NOT_A_REPLICA);
            } else {
                em.complete(Files.exists(f) ? Probe.NOT_A_REPLICA : Probe.MISSING);
            }
        });
    }

    private static boolean hasLevels(Path ltx) {
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(ltx, "[0-9]")) {
            return levels.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ReplicaStore replica(String folder) {
        return new LocalDirStore(dir.resolve(folder));
    }

    @Override
    public String location() {
        return ReplicaUrl.file(dir).toString();
    }

    @Override
    public StoreStats stats() {
        return stats;
    }

    @Override
    public void close() {
        // nothing shared to release
    }
}
