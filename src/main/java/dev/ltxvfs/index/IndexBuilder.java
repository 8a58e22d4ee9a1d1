package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxFormatException;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the {@link IndexSnapshot} of a restore plan: the indexes of all plan files are fetched
 * in parallel (bounded), then merged in plan order. Litestream does this one file at a time,
 * two or three GETs each; here the cold-open time is about that of the slowest file.
 */
public final class IndexBuilder {

    /** Parallel tail reads at open; a plan is at most ~75 files. */
    public static final int DEFAULT_CONCURRENCY = 16;

    private final ReplicaStore store;
    private final FileIndexReader reader;
    private final RestorePlanner planner;
    private final int concurrency;

    public IndexBuilder(ReplicaStore store) {
        this(store, DEFAULT_CONCURRENCY);
    }

    public IndexBuilder(ReplicaStore store, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        this.store = store;
        this.reader = new FileIndexReader(store);
        this.planner = new RestorePlanner(store);
        this.concurrency = concurrency;
    }

    /** Plans the restore to {@code target}, then builds its index. */
    public Uni<IndexSnapshot> open(RestoreTarget target) {
        return planner.plan(target).onItem().transformToUni(this::build);
    }

    public Uni<IndexSnapshot> build(RestorePlan plan) {
        int n = plan.size();
        return Multi.createFrom().range(0, n)
                .onItem().transformToUni(i -> reader.read(plan.files().get(i), i == n - 1)
                        .onItem().transform(fi -> new Positioned(i, fi)))
                .merge(concurrency) // completes in any order...
                .collect().asList()
                .onItem().transformToUni(done -> {
                    List<FileIndex> ordered = done.stream() // ...merged in plan order
                            .sorted(Comparator.comparingInt(Positioned::position))
                            .map(Positioned::index)
                            .toList();
                    try {
                        checkPageSizes(ordered);
                        return Uni.createFrom().item(IndexSnapshot.compose(plan, ordered));
                    } catch (LtxFormatException e) {
                        return Uni.createFrom().failure(e);
                    }
                });
    }

    private record Positioned(int position, FileIndex index) {
    }

    /** Every header we happened to read must agree with the last one on the page size. */
    private void checkPageSizes(List<FileIndex> files) throws LtxFormatException {
        LtxHeader last = files.getLast().header();
        for (FileIndex fi : files) {
            if (fi.hasHeader() && fi.header().pageSize() != last.pageSize()) {
                throw new LtxFormatException(reader.source(fi.file()), "page size " + fi.header().pageSize()
                        + " differs from " + last.pageSize() + " in " + files.getLast().file()
                        + ": the plan mixes databases or a page-size change");
            }
        }
    }

    public RestorePlanner planner() {
        return planner;
    }

    public ReplicaStore store() {
        return store;
    }
}
