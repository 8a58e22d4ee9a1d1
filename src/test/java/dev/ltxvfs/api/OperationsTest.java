package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Point in time, concurrent clients, the database listing, health, metrics and OpenAPI. */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class OperationsTest {
    static final String COUNT = "SELECT count(*) FROM items";

    @TestHTTPResource("/v1/databases")
    URL base;

    @Inject
    Scheduler scheduler;

    static long count(String db, String at) {
        Map<String, Object> body = at == null ? Map.of("sql", COUNT) : Map.of("sql", COUNT, "at", at);
        return QueryResourceTest.query(db, body).path("rows").path(0).get(0).asLong();
    }

    /**
     * On the directory replica only: the S3 store dates files by the objects' LastModified (the
     * upload time here), not by the LTX header or Litestream's litestream-timestamp metadata.
     */
    /** Configured databases poll in the background as Quarkus scheduler jobs, one each. */
    @Test
    void backgroundPollsAreSchedulerJobs() {
        List<String> jobs = scheduler.getScheduledJobs().stream().map(Trigger::getId).toList();
        for (String db : List.of("local", "s3", "s3cold")) {
            assertThat(jobs).as("poll jobs").filteredOn(id -> id.startsWith("ltxvfs-poll-" + db + "-")).hasSize(1);
        }
    }

    @Test
    void pointInTimeThroughAt() {
        for (String db : List.of("local")) {
            for (int tx : new int[] {0, 1, 7, 10, 15, 19}) {
                String at = ReplicaTestResource.T0.plusSeconds(60L * tx + 30).toString();
                assertThat(count(db, at)).as("%s at %s", db, at).isEqualTo(200L * (tx + 1) + 2);
            }
            JsonNode answer = QueryResourceTest.query(db, Map.of("sql", "SELECT 1",
                    "at", ReplicaTestResource.T0.plusSeconds(60 * 3 + 30).toString()));
            assertThat(answer.path("txid").asText()).isEqualTo(String.format("%016x", 4));
            // The live view is back for the next query on the same (pooled) connection.
            assertThat(count(db, null)).isEqualTo(200L * ReplicaTestResource.TRANSACTIONS + 2);
        }
    }

    @Test
    void beforeRetentionIs422NamingTheOldest() {
        given().contentType(ContentType.JSON).body(Map.of("sql", COUNT, "at", "2020-01-01T00:00:00Z"))
                .when().post("/v1/databases/local/query")
                .then().statusCode(422).body("error.code", equalTo("point_in_time_unavailable"))
                .body("error.message", containsString(ReplicaTestResource.T0.toString().replace("Z", "")));
        given().contentType(ContentType.JSON).body(Map.of("sql", COUNT, "at", "not a time at all"))
                .when().post("/v1/databases/s3/query")
                .then().statusCode(400).body("error.code", equalTo("bad_request"));
    }

    @Test
    void concurrentClientsAllGetTheirOwnAnswers() throws Exception {
        Map<Integer, String> expected = new java.util.HashMap<>();
        for (List<String> row : PlainSqlite.rows("SELECT id, name, big FROM items")) {
            expected.put(Integer.parseInt(row.get(0)), "[" + String.join(",", row) + "]");
        }
        List<Integer> ids = new ArrayList<>(expected.keySet());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (HttpClient client = HttpClient.newHttpClient(); ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    java.util.Random rnd = new java.util.Random(thread);
                    int ok = 0;
                    for (int q = 0; q < 20; q++) {
                        int id = ids.get(rnd.nextInt(ids.size()));
                        String db = (q + thread) % 2 == 0 ? "local" : "s3";
                        String body = "{\"sql\":\"SELECT id, name, big FROM items WHERE id = ?\",\"params\":[" + id + "]}";
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/" + db + "/query"))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        String got = r.statusCode() == 200 ? PlainSqlite.parse(r.body()).path("rows").path(0).toString() : r.body();
                        if (got.equals(expected.get(id))) {
                            ok++;
                        } else {
                            failures.add(db + " id " + id + ": " + got);
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertThat(failures).isEmpty();
            assertThat(total).isEqualTo(320);
        }
    }

    @Test
    void databasesAreListedWithTheirFigures() {
        awaitReady();
        JsonNode list = PlainSqlite.parse(given().get("/v1/databases").then().statusCode(200).extract().asString());
        List<String> names = new ArrayList<>();
        list.path("databases").forEach(d -> names.add(d.path("name").asText()));
        // The configured databases, and the catalog's databases that are open (tests opened some), by name.
        assertThat(names).containsSubsequence("local", "s3", "s3cold").isSorted();
        assertThat(list.path("cache").has("hits")).isTrue();
        JsonNode one = PlainSqlite.parse(given().get("/v1/databases/s3").then().statusCode(200).extract().asString());
        assertThat(one.path("ready").asBoolean()).isTrue();
        assertThat(one.path("txid").asText()).isEqualTo(String.format("%016x", ReplicaTestResource.TRANSACTIONS));
        assertThat(one.path("pageSize").asInt()).isEqualTo(4096);
        assertThat(one.path("pageCount").asLong()).isPositive();
        assertThat(one.path("planFiles").asInt()).isEqualTo(one.path("files").size()).isPositive();
        assertThat(one.path("replica").asText()).startsWith("s3://").doesNotContain("credential");
        assertThat(one.path("requests").path("gets").asLong()).isPositive();
        assertThat(Instant.parse(one.path("time").asText())).isEqualTo(ReplicaTestResource.T0.plusSeconds(60 * 19));
    }

    static void awaitReady() {
        for (int i = 0; i < 300 && given().get("/q/health/ready").statusCode() != 200; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void healthMetricsAndOpenApi() {
        awaitReady();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        count("local", null);
        count("s3", null);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("ltxvfs_query_seconds_count{db=\"local\",outcome=\"ok\"}")
                .contains("ltxvfs_store_requests_total{db=\"s3\",type=\"get\"}")
                .contains("ltxvfs_cache_hits_total").contains("ltxvfs_workers_queue");
        String openapi = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("/v1/databases/{db}/query").contains("/libsql/{db}/v2/pipeline");
    }
}
