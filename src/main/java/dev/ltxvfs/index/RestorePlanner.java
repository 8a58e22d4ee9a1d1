package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists levels 9..0 of a replica in parallel and computes the restore plan. One LIST per level:
 * compacted files may straddle the snapshot's TXID, so no level can be seeked from the snapshot.
 */
public final class RestorePlanner {

    private final ReplicaStore store;

    public RestorePlanner(ReplicaStore store) {
        this.store = store;
    }

    public Uni<RestorePlan> plan(RestoreTarget target) {
        List<Uni<List<LtxFileInfo>>> listings = new ArrayList<>();
        for (int level = PlanCalculator.SNAPSHOT_LEVEL; level >= 0; level--) {
            listings.add(store.list(level, 0));
        }
        return Uni.combine().all().unis(listings).with(lists -> {
            List<LtxFileInfo> all = new ArrayList<>();
            for (Object l : lists) {
                @SuppressWarnings("unchecked")
                List<LtxFileInfo> files = (List<LtxFileInfo>) l;
                all.addAll(files);
            }
            return all;
        }).onItem().transformToUni(all -> {
            try {
                return Uni.createFrom().item(PlanCalculator.calculate(all, target, store.location()));
            } catch (RestorePlanException e) {
                return Uni.createFrom().failure(e);
            }
        });
    }
}
