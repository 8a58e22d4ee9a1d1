package dev.ltxvfs.store;

import static dev.ltxvfs.testing.Unis.WAIT;
import static dev.ltxvfs.testing.Unis.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.testing.S3ProxyServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The S3 server goes away and comes back: requests fail clearly within the deadline, then work again. */
class S3StoreOutageTest {

    @Test
    void failsNamingTheObjectWhileTheServerIsDownAndRecoversAfterARestart() {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("outage");
        String key = "db/0000/0000000000000001-0000000000000001.ltx";
        byte[] body = "LTX1 some bytes of an ltx file".getBytes();
        s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));

        S3Options options = s3.options().withRetries(3, Duration.ofSeconds(10))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        try (S3Store store = new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")), options)) {
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(store.read(f, 0, 4).await().atMost(WAIT)).isEqualTo("LTX1".getBytes());

            s3.stop();
            try {
                Throwable t = failure(store.read(f, 5, 4));
                assertThat(t).isInstanceOf(StoreException.class).isNotInstanceOf(ObjectNotFoundException.class)
                        .hasMessageStartingWith("GET s3://" + bucket + "/" + key + " bytes=5-8 failed after 3 attempts");
                assertThat(store.stats().retries.sum()).isEqualTo(2);
                assertThat(store.stats().failures.sum()).isEqualTo(1);

                assertThat(failure(store.list(0, 0))).isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("LIST s3://" + bucket + "/db/0000/ failed after 3 attempts");
            } finally {
                s3.start(); // same port; the in-memory backend lost its buckets
            }
            s3.ensureBucket(bucket);
            s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));

            assertThat(store.read(f, 5, 4).await().atMost(WAIT)).isEqualTo("some".getBytes());
            assertThat(store.list(0, 0).await().atMost(WAIT)).extracting(LtxFileInfo::fileName)
                    .containsExactly(f.fileName());
        }
    }
}
