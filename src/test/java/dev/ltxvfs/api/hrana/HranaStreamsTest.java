package dev.ltxvfs.api.hrana;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.api.ReplicaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * libSQL streams: batons that continue a stream once and cannot be forged, idle expiry, the bound on
 * open streams, a stream continued on "another instance" from its baton alone, and the real
 * {@code @libsql/client} running {@code transaction("read")} while a commit lands between its reads.
 */
@QuarkusTest
@Tag("quarkus")
@TestProfile(StreamsProfile.class)
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class HranaStreamsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String COUNT = "{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT count(*) FROM t\"}}";

    @TestHTTPResource("/libsql/live/")
    URL url;

    static Response post(String baton, String... requests) {
        String body = "{\"baton\":" + (baton == null ? "null" : "\"" + baton + "\"") + ",\"requests\":["
                + String.join(",", requests) + "]}";
        return given().header("Content-Type", "application/json").body(body).when().post("/libsql/live/v2/pipeline");
    }

    static JsonNode ok(Response r) throws Exception {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.asString());
        assertThat(n.get("base_url").isNull()).isTrue();
        return n;
    }

    static long count(JsonNode answer, int i) {
        return answer.at("/results/" + i + "/response/result/rows/0/0/value").asLong();
    }

    static String code(Response r) {
        return r.jsonPath().getString("code");
    }

    @Test
    void aBatonContinuesItsStreamOnceAndCannotBeForged() throws Exception {
        JsonNode first = ok(post(null, COUNT));
        String b1 = first.get("baton").asText();
        String b2 = ok(post(b1, COUNT)).get("baton").asText();
        assertThat(b2).isNotEqualTo(b1);

        Response replayed = post(b1, COUNT);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(code(replayed)).isEqualTo("BATON_REPLAYED");

        // Another counter with the old signature, and a signature of nothing: both are forgeries.
        String[] parts = b2.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String bumped = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replaceFirst("\\|2\\|", "|3|").getBytes(StandardCharsets.UTF_8));
        for (String forged : List.of(bumped + "." + parts[1], parts[0] + ".AAAA", "abc")) {
            Response r = post(forged, COUNT);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(code(r)).isEqualTo("BATON_INVALID");
        }
        JsonNode closed = ok(post(b2, "{\"type\":\"close\"}"));
        assertThat(closed.get("baton").isNull()).isTrue();
        assertThat(code(post(b2, COUNT))).isEqualTo("BATON_REPLAYED");
    }

    @Test
    void aStreamContinuesOnAnotherInstanceFromItsBatonAlone() throws Exception {
        JsonNode begun = ok(post(null, "{\"type\":\"execute\",\"stmt\":{\"sql\":\"BEGIN TRANSACTION READONLY\"}}", COUNT));
        long before = count(begun, 1);
        String txid = ok(post(begun.get("baton").asText(), "{\"type\":\"execute\",\"stmt\":{\"sql\":\"PRAGMA litestream_txid\"}}"))
                .at("/results/0/response/result/rows/0/0/value").asText();
        StreamsProfile.commit(7);
        awaitCount(before + 7);
        // What another instance with the same key signed: a stream this one never saw, in a
        // transaction pinned at txid. It continues on exactly that state.
        String elsewhere = new Baton.Signer(StreamsProfile.SECRET.getBytes(StandardCharsets.UTF_8))
                .sign(new Baton("from-another-instance", 5, "live", txid, System.currentTimeMillis()));
        JsonNode continued = ok(post(elsewhere, COUNT, "{\"type\":\"get_autocommit\"}", "{\"type\":\"close\"}"));
        assertThat(count(continued, 0)).isEqualTo(before);
        assertThat(continued.at("/results/1/response/is_autocommit").asBoolean()).isFalse();
        // A state the replica never had fails clearly.
        String gone = new Baton.Signer(StreamsProfile.SECRET.getBytes(StandardCharsets.UTF_8))
                .sign(new Baton("gone", 1, "live", "00000000000fffff", System.currentTimeMillis()));
        Response r = post(gone, COUNT);
        assertThat(r.asString()).contains("00000000000fffff");
    }

    @Test
    void idleStreamsExpireAndStreamsAreBounded() throws Exception {
        Thread.sleep(StreamsProfile.IDLE_MS + 1000); // streams of other tests expire
        List<String> batons = new ArrayList<>();
        for (int i = 0; i < StreamsProfile.MAX_STREAMS; i++) {
            batons.add(ok(post(null, COUNT)).get("baton").asText());
        }
        Response full = post(null, COUNT);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.header("Retry-After")).isEqualTo("1");
        assertThat(code(full)).isEqualTo("TOO_MANY_STREAMS");
        ok(post(batons.removeFirst(), "{\"type\":\"close\"}"));
        batons.add(ok(post(null, COUNT)).get("baton").asText());

        Thread.sleep(StreamsProfile.IDLE_MS + 1000);
        Response expired = post(batons.getFirst(), COUNT);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(code(expired)).isEqualTo("STREAM_EXPIRED");
        ok(post(null, COUNT, "{\"type\":\"close\"}")); // expired streams no longer count
    }

    @Test
    void theRealClientsReadTransactionKeepsItsSnapshotWhileACommitLands() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "src/test/node/run-libsql-check.sh", "libsql-transaction-check.mjs")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LTXVFS_URL", url.toString().replace("localhost", "127.0.0.1"));
        pb.environment().put("LTXVFS_IDLE_MS", Long.toString(StreamsProfile.IDLE_MS));
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            JsonNode first = JSON.readTree(out.readLine());
            assertThat(first.path("step").asText()).as(first.toString()).isEqualTo("first-read");
            long before = first.path("n").asLong();
            StreamsProfile.commit(11);
            awaitCount(before + 11);
            in.write("go\n");
            in.flush();
            JsonNode report = JSON.readTree(out.readLine());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(report.path("failures").size()).as(report.toString()).isZero();
            assertThat(report.at("/checks/second_read/n").asLong()).as(report.toString()).isEqualTo(before);
            assertThat(report.at("/checks/commit/ok").asBoolean()).isTrue();
            assertThat(report.at("/checks/next_transaction/n").asLong()).isEqualTo(before + 11);
            assertThat(report.at("/checks/expired/error/code").asText()).isEqualTo("STREAM_EXPIRED");
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /** Waits (polling, without asserting on time) until the live database shows {@code n} rows. */
    static void awaitCount(long n) throws Exception {
        JsonNode r = null;
        for (int i = 0; i < 300; i++) {
            r = ok(post(null, COUNT, "{\"type\":\"close\"}"));
            if (count(r, 0) == n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the live database never reached " + n + " rows; last answer: " + r);
    }
}
