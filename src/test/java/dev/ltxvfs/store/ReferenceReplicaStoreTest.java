package dev.ltxvfs.store;

import static dev.ltxvfs.testing.Unis.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.testing.ReferenceVfs;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores see the same files, bytes and times in a replica the real Litestream VFS wrote. */
class ReferenceReplicaStoreTest {
    @TempDir
    Path replica;

    @Test
    void localAndS3StoresAgreeOnAReferenceReplica() throws IOException {
        ReferenceVfs ref = ReferenceVfs.get();
        ref.write(replica, "CREATE TABLE t(x);");
        ref.write(replica, "INSERT INTO t SELECT randomblob(2000) FROM generate_series(1, 20);");
        ref.write(replica, "DELETE FROM t WHERE rowid % 2 = 0;");

        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("refstore");
        ReplicaUpload.upload(replica, s3.client(), bucket, "app/db");

        try (ReplicaStore local = ReplicaStores.open("file://" + replica);
             ReplicaStore remote = ReplicaStores.open(ReplicaUrl.parse(s3.replicaUrl(bucket, "app/db")), s3.options())) {
            List<LtxFileInfo> files = local.list(0, 0).await().atMost(WAIT);
            assertThat(files).extracting(LtxFileInfo::maxTxid).containsExactly(1L, 2L, 3L);
            List<LtxFileInfo> remoteFiles = remote.list(0, 0).await().atMost(WAIT);
            assertThat(remoteFiles).extracting(LtxFileInfo::fileName).isEqualTo(files.stream().map(LtxFileInfo::fileName).toList());
            assertThat(remoteFiles).extracting(LtxFileInfo::size).isEqualTo(files.stream().map(LtxFileInfo::size).toList());

            for (LtxFileInfo f : files) {
                Path p = replica.resolve("ltx/0/" + f.fileName());
                assertThat(f.createdAt()).isEqualTo(ReplicaUpload.headerTimestamp(p)); // mtime = LTX header time
                byte[] onDisk = Files.readAllBytes(p);
                assertThat(local.read(f, 0, (int) f.size()).await().atMost(WAIT)).isEqualTo(onDisk);
                assertThat(remote.readTail(f, 64).await().atMost(WAIT))
                        .isEqualTo(java.util.Arrays.copyOfRange(onDisk, onDisk.length - 64, onDisk.length));
            }
            assertThat(local.read(files.getFirst(), 0, 4).await().atMost(WAIT)).isEqualTo("LTX1".getBytes());
        }
    }
}
