package dev.ltxvfs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.ltxvfs.testing.Unis.failure;

import dev.ltxvfs.testing.S3ProxyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** S3Store against a real S3 server (S3Proxy). */
class S3StoreTest {
    static S3ProxyServer s3;
    static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void server() {
        s3 = S3ProxyServer.get();
    }

    static byte[] content(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    static void put(String bucket, String key, byte[] body) {
        s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    static String name(long min, long max) {
        return String.format("%016x-%016x.ltx", min, max);
    }

    S3Store store(String bucket, String path, S3Options options) {
        return new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, path)), options);
    }

    @Test
    void storesOnOneEndpointShareOneClientUntilTheLastCloses() {
        String bucket = s3.newBucket("shared");
        put(bucket, "a/0000/" + name(1, 1), content(10, 1));
        put(bucket, "b/0000/" + name(1, 1), content(10, 2));
        S3Options options = s3.options();
        S3AsyncClient x = S3Clients.acquire(ReplicaUrl.parse(s3.replicaUrl(bucket, "a")), options);
        S3AsyncClient y = S3Clients.acquire(ReplicaUrl.parse(s3.replicaUrl(bucket, "b")), options);
        assertThat(x).isSameAs(y);
        S3Clients.release(x);
        S3Clients.release(y);
        S3Store a = store(bucket, "a", options);
        S3Store b = store(bucket, "b", options);
        a.close();
        a.close(); // twice is once
        // b's client (the same one) is still open.
        assertThat(b.list(0, 0).await().atMost(WAIT)).hasSize(1);
        b.close();
        try (S3Store c = store(bucket, "a", options)) {
            assertThat(c.list(0, 0).await().atMost(WAIT)).hasSize(1);
        }
    }

    @Test
    void listsOneLevelSortedByMinTxidWithSizesAndTimes() {
        String bucket = s3.newBucket("list");
        Instant before = Instant.now().minusSeconds(5);
        put(bucket, "db/0000/" + name(2, 2), content(10, 2));
        put(bucket, "db/0000/" + name(1, 1), content(20, 1));
        put(bucket, "db/0001/" + name(1, 2), content(30, 3));
        put(bucket, "db/0000/not-an-ltx-file.txt", content(1, 0));
        put(bucket, "db/0000/" + name(3, 3).toUpperCase(), content(1, 0)); // Litestream's names are lowercase
        put(bucket, "other/0000/" + name(9, 9), content(1, 0));

        try (S3Store store = store(bucket, "db", s3.options())) {
            List<LtxFileInfo> l0 = store.list(0, 0).await().atMost(WAIT);
            assertThat(l0).extracting(LtxFileInfo::fileName).containsExactly(name(1, 1), name(2, 2));
            assertThat(l0).extracting(LtxFileInfo::size).containsExactly(20L, 10L);
            assertThat(l0).allSatisfy(f -> assertThat(f.createdAt()).isAfter(before));
            assertThat(store.list(1, 0).await().atMost(WAIT)).extracting(LtxFileInfo::toString).containsExactly("L1/" + name(1, 2));
            assertThat(store.list(9, 0).await().atMost(WAIT)).isEmpty();
        }
    }

    @Test
    void listSeeksToMinTxidAndPagesThroughSmallPages() {
        String bucket = s3.newBucket("seek");
        // Gaps and overlaps on purpose: a compacted level has ranges, not single TXIDs.
        for (long t = 1; t <= 40; t++) put(bucket, "db/0001/" + name(t * 10, t * 10 + 9), content(1, 0));

        try (S3Store store = store(bucket, "db", S3ProxyServer.listPages(s3.options(), 7))) {
            List<LtxFileInfo> all = store.list(1, 0).await().atMost(WAIT);
            assertThat(all).hasSize(40);
            assertThat(store.stats().lists.sum()).isEqualTo(6); // 40 keys in pages of 7

            long listsBefore = store.stats().lists.sum();
            List<LtxFileInfo> tail = store.list(1, 255).await().atMost(WAIT);
            // 255 falls inside 250-259: that file starts before 255, so the first one returned is 260.
            assertThat(tail).extracting(LtxFileInfo::minTxid).containsExactlyElementsOf(
                    LongStream.rangeClosed(26, 40).map(t -> t * 10).boxed().toList());
            assertThat(store.stats().lists.sum() - listsBefore).isEqualTo(3); // 15 keys, not the whole level

            assertThat(store.list(1, 260).await().atMost(WAIT)).first().extracting(LtxFileInfo::minTxid).isEqualTo(260L);
            assertThat(store.list(1, 401).await().atMost(WAIT)).isEmpty();
        }
    }

    @Test
    void everyLevelIsOneListAmongOtherKeys() {
        String bucket = s3.newBucket("all");
        put(bucket, "db/0009/" + name(1, 20), content(9, 9));
        put(bucket, "db/0002/" + name(1, 16), content(2, 2));
        put(bucket, "db/0000/" + name(22, 22), content(1, 0));
        put(bucket, "db/0000/" + name(21, 21), content(1, 0));
        put(bucket, "db/0001/" + name(17, 20), content(3, 1));
        // Keys of no level of this replica: beside the levels, in a level-like folder, another replica.
        put(bucket, "db/0000/not-an-ltx-file.txt", content(1, 0));
        put(bucket, "db/000a/" + name(1, 1), content(1, 0));
        put(bucket, "db/0001.txt", content(1, 0));
        put(bucket, "db/0003/nested/" + name(1, 1), content(1, 0));
        put(bucket, "db/sub/0000/" + name(1, 1), content(1, 0));
        put(bucket, "db2/0000/" + name(1, 1), content(1, 0));

        try (S3Store store = store(bucket, "db", s3.options())) {
            List<LtxFileInfo> all = store.listAll().await().atMost(WAIT);
            assertThat(all).extracting(LtxFileInfo::toString).containsExactly(
                    "L0/" + name(21, 21), "L0/" + name(22, 22), "L1/" + name(17, 20), "L2/" + name(1, 16), "L9/" + name(1, 20));
            assertThat(all).extracting(LtxFileInfo::size).containsExactly(1L, 1L, 3L, 2L, 9L);
            assertThat(store.stats().lists.sum()).isEqualTo(1);
        }
    }

    @Test
    void aTruncatedFirstPageListsTheRestPerLevel() {
        String bucket = s3.newBucket("pages");
        List<String> expected = new ArrayList<>();
        for (long t = 1; t <= 5; t++) expected.add("L0/" + name(100 + t, 100 + t));
        for (long t = 0; t < 6; t++) expected.add("L1/" + name(t * 10 + 1, t * 10 + 10));
        for (long t = 0; t < 3; t++) expected.add("L3/" + name(t * 50 + 1, t * 50 + 50));
        expected.add("L9/" + name(1, 100));
        for (String f : expected) {
            put(bucket, "db/%04x/%s".formatted(Integer.parseInt(f.substring(1, 2)), f.substring(3)), content(1, 0));
        }

        try (S3Store store = store(bucket, "db", S3ProxyServer.listPages(s3.options(), 7))) {
            assertThat(store.listAll().await().atMost(WAIT)).extracting(LtxFileInfo::toString)
                    .containsExactlyElementsOf(expected);
            // The first page stops in level 1 (5 + 2 keys): the rest of level 1 after its last key,
            // then levels 2..9 from their start, each one LIST.
            assertThat(store.stats().lists.sum()).isEqualTo(1 + 1 + 8);
        }
    }

    @Test
    void listPagesPastAThousandKeys() throws Exception {
        String bucket = s3.newBucket("many");
        int n = 1205;
        List<String> keys = new ArrayList<>();
        for (long t = 1; t <= n; t++) keys.add("big/0000/" + name(t, t));
        for (long t = 0; t < 120; t++) keys.add("big/0001/" + name(t * 10 + 1, t * 10 + 10));
        keys.add("big/0009/" + name(1, 1000));
        try (S3AsyncClient async = s3.newAsyncClient()) {
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(async.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromBytes(new byte[] {1})));
                if (puts.size() == 64) { // keep the in-memory server's load modest
                    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
                    puts.clear();
                }
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        }
        try (S3Store store = store(bucket, "big", s3.options())) {
            List<LtxFileInfo> all = store.list(0, 0).await().atMost(WAIT);
            assertThat(all).hasSize(n);
            assertThat(all.get(n - 1).maxTxid()).isEqualTo(n);
            assertThat(store.stats().lists.sum()).isEqualTo(2);
            assertThat(store.list(0, 1200).await().atMost(WAIT)).extracting(LtxFileInfo::minTxid)
                    .containsExactly(1200L, 1201L, 1202L, 1203L, 1204L, 1205L);

            long lists = store.stats().lists.sum();
            List<LtxFileInfo> levels = store.listAll().await().atMost(WAIT);
            assertThat(levels).hasSize(n + 120 + 1);
            assertThat(levels.subList(0, n)).isEqualTo(all);
            assertThat(levels.get(n)).hasToString("L1/" + name(1, 10));
            assertThat(levels.getLast()).hasToString("L9/" + name(1, 1000));
            // 1,000 keys of level 0, then its last 205 and levels 1..9, one LIST each, in parallel.
            assertThat(store.stats().lists.sum() - lists).isEqualTo(1 + 1 + 9);
        }
    }

    @Test
    void closingAStoreUnderItsOwnRequestsFailsThemCleanly() throws Exception {
        // The last store on an endpoint closes its client. A request being handed to the CRT client at
        // that moment once aborted the whole JVM (a fatal assertion in the CRT's connection manager).
        String bucket = s3.newBucket("closing");
        byte[] body = content(4096, 3);
        put(bucket, "db/0000/" + name(1, 1), body);
        S3Options options = s3.options().withRetries(1, Duration.ofSeconds(10));
        int served = 0;
        int refused = 0;
        for (int round = 0; round < 25; round++) {
            S3Store store = store(bucket, "db", options);
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            List<CompletableFuture<byte[]>> reads = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean closed = new AtomicBoolean();
            List<Thread> issuers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                issuers.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 100 && !closed.get(); n++) {
                        reads.add(store.read(f, 0, body.length).subscribeAsCompletionStage());
                        Thread.onSpinWait();
                    }
                }));
            }
            Thread.sleep(round % 5 * 2L);
            store.close();
            closed.set(true);
            for (Thread t : issuers) t.join();
            for (CompletableFuture<byte[]> read : reads) {
                boolean ok = read.handle((bytes, error) -> {
                    if (error == null) {
                        assertThat(bytes).isEqualTo(body);
                    } else {
                        assertThat(error).isInstanceOf(StoreException.class).hasMessageContaining("GET s3://" + bucket);
                    }
                    return error == null;
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (ok) served++;
                else refused++;
            }
        }
        // Both sides of the close were exercised: reads before it answered, reads after it failed.
        assertThat(served).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void readsExactRangesAndTails() {
        String bucket = s3.newBucket("read");
        byte[] body = content(5000, 7);
        put(bucket, "db/0000/" + name(1, 1), body);
        try (S3Store store = store(bucket, "db", s3.options())) {
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(store.read(f, 100, 50).await().atMost(WAIT)).isEqualTo(Arrays.copyOfRange(body, 100, 150));
            assertThat(store.read(f, 0, 5000).await().atMost(WAIT)).isEqualTo(body);
            assertThat(store.read(f, 4999, 1).await().atMost(WAIT)).containsExactly(body[4999]);
            assertThat(store.read(f, 10, 0).await().atMost(WAIT)).isEmpty();
            assertThat(store.readTail(f, 16).await().atMost(WAIT)).isEqualTo(Arrays.copyOfRange(body, 4984, 5000));
            assertThat(store.readTail(f, 1 << 20).await().atMost(WAIT)).isEqualTo(body);
            assertThat(store.stats().bytes.sum()).isEqualTo(50 + 5000 + 1 + 16 + 5000);
        }
    }

    @Test
    void aRangePastTheEndFailsAtOnceNamingTheObject() {
        String bucket = s3.newBucket("short");
        put(bucket, "db/0000/" + name(1, 1), content(100, 1));
        try (S3Store store = store(bucket, "db", s3.options())) {
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(failure(store.read(f, 90, 20)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("s3://" + bucket + "/db/0000/" + name(1, 1))
                    .hasMessageContaining("bytes=90-109")
                    .hasMessageContaining("100 bytes");
            assertThat(store.stats().retries.sum()).isZero();
        }
    }

    @Test
    void aMissingObjectIsObjectNotFoundWithoutRetries() {
        String bucket = s3.newBucket("gone");
        try (S3Store store = store(bucket, "db", s3.options())) {
            LtxFileInfo gone = new LtxFileInfo(1, 5, 9, 100, Instant.now());
            assertThat(failure(store.read(gone, 0, 10)))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("s3://" + bucket + "/db/0001/" + name(5, 9));
            assertThat(store.stats().gets.sum()).isEqualTo(1);
            assertThat(store.stats().retries.sum()).isZero();
        }
    }

    @Test
    void aMissingBucketIsAPlainStoreErrorNotObjectNotFound() {
        try (S3Store store = store("no-such-bucket-" + ProcessHandle.current().pid(), "db", s3.options())) {
            assertThat(failure(store.list(0, 0)))
                    .isInstanceOf(StoreException.class)
                    .isNotInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void wrongCredentialsFailWithoutRetries() {
        String bucket = s3.newBucket("auth");
        var bad = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("identity", "wrong"));
        try (S3Store store = store(bucket, "db", S3Options.defaults().withCredentials(bad))) {
            assertThat(failure(store.list(0, 0)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("HTTP 403");
            assertThat(store.stats().retries.sum()).isZero();
        }
    }

    @Test
    void anEmptyPathReadsLevelsAtTheBucketRoot() {
        // Litestream itself writes "/0000/..." for an empty path; S3Proxy rejects such keys, so only
        // the plain form is tested here (S3Store falls back to the slashed one when this finds nothing).
        String bucket = s3.newBucket("root");
        put(bucket, "0000/" + name(1, 1), content(10, 1));
        try (S3Store store = store(bucket, "", s3.options())) {
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(store.read(f, 0, 10).await().atMost(WAIT)).isEqualTo(content(10, 1));
            assertThat(store.key(f)).isEqualTo("0000/" + name(1, 1));
        }
        try (S3Store fresh = store(bucket, "", s3.options())) {
            // Tries "0009/", then "/0009/", which S3Proxy refuses (400): from then on only the plain form.
            assertThat(fresh.list(9, 0).await().atMost(WAIT)).isEmpty();
            assertThat(fresh.list(9, 0).await().atMost(WAIT)).isEmpty();
            assertThat(fresh.stats().lists.sum()).isEqualTo(3);
            assertThat(fresh.listAll().await().atMost(WAIT)).hasSize(1);
            assertThat(fresh.stats().lists.sum()).isEqualTo(4);
        }
        try (S3Store fresh = store(bucket, "", s3.options())) {
            assertThat(fresh.listAll().await().atMost(WAIT)).extracting(LtxFileInfo::fileName).containsExactly(name(1, 1));
            assertThat(fresh.stats().lists.sum()).as("every level at once, found at the plain root").isEqualTo(1);
        }
        try (S3Store empty = store(s3.newBucket("bare"), "", s3.options())) {
            assertThat(empty.listAll().await().atMost(WAIT)).isEmpty();
            assertThat(empty.stats().lists.sum()).as("\"000\", then \"/000\" (refused)").isEqualTo(2);
        }
    }
}
