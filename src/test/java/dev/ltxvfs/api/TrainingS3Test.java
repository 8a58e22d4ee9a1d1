package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.writer.DemoDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The AOT training's S3 endpoint answers the real S3 client the way S3 does, so the training walks that path. */
class TrainingS3Test {
    @TempDir
    Path tmp;

    @Test
    void servesTheReplicaToTheS3StoreAsItIsOnDisk() throws Exception {
        Path dir = tmp.resolve("replica");
        DemoDataset.ensure(dir, Instant.now());
        S3Options options = S3ProxyServer.listPages(S3Options.defaults(), 3) // several pages: continuation tokens
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("training", "training")));
        try (TrainingS3 s3 = TrainingS3.serve(dir);
             ReplicaStore store = ReplicaStores.open(ReplicaUrl.parse(s3.replicaUrl()), options);
             LocalDirStore local = new LocalDirStore(dir)) {
            for (int level : List.of(0, 1, 2, 9)) {
                List<LtxFileInfo> listed = store.list(level, 0).await().atMost(Duration.ofSeconds(10));
                List<LtxFileInfo> onDisk = local.list(level, 0).await().atMost(Duration.ofSeconds(10));
                assertThat(listed).as("level %d", level).isNotEmpty()
                        .extracting(LtxFileInfo::fileName, LtxFileInfo::size)
                        .isEqualTo(onDisk.stream().map(f -> Tuple.tuple(f.fileName(), f.size())).toList());
            }
            LtxFileInfo file = store.list(0, 0).await().atMost(Duration.ofSeconds(10)).getFirst();
            byte[] whole = Files.readAllBytes(local.pathOf(file));
            assertThat(store.read(file, 10, 50).await().atMost(Duration.ofSeconds(10)))
                    .isEqualTo(Arrays.copyOfRange(whole, 10, 60));

            // The first-query path of the training: the index built over S3 is the one built from disk.
            IndexSnapshot overS3 = new LiveReplica(store).rebuild().await().atMost(Duration.ofSeconds(10));
            IndexSnapshot fromDisk = new LiveReplica(local).rebuild().await().atMost(Duration.ofSeconds(10));
            assertThat(overS3.txid()).isEqualTo(fromDisk.txid()).isEqualTo(DemoDataset.TRANSACTIONS);
            assertThat(overS3.commit()).isEqualTo(fromDisk.commit());
            assertThat(overS3.files()).extracting(LtxFileInfo::fileName)
                    .isEqualTo(fromDisk.files().stream().map(LtxFileInfo::fileName).toList());
        }
    }
}
