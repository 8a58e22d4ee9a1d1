package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens (401/403), the query timeout (504), a full worker pool (503 + Retry-After), values
 * and rows past max-bytes and temporary storage past max-temp-bytes (422).
 */
@QuarkusTest
@Tag("quarkus")
@TestProfile(LimitsProfile.class)
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class LimitsTest {
    static final String ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n";

    static Response query(String token, String db, String sql) {
        var req = given().contentType(ContentType.JSON).body(Map.of("sql", sql));
        if (token != null) {
            req = req.header("Authorization", "Bearer " + token);
        }
        return req.when().post("/v1/databases/{db}/query", db);
    }

    @Test
    void tokensAreRequiredAndMayBeLimitedToSomeDatabases() {
        query(null, "local", "SELECT 1").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error.code", equalTo("unauthorized"));
        query("wrong", "local", "SELECT 1").then().statusCode(401).body("error.message", containsString("not valid"));
        query(LimitsProfile.FULL, "s3", "SELECT 1").then().statusCode(200);
        query(LimitsProfile.LOCAL_ONLY, "local", "SELECT 1").then().statusCode(200);
        query(LimitsProfile.LOCAL_ONLY, "s3", "SELECT 1").then().statusCode(403).body("error.code", equalTo("forbidden"))
                .body("error.message", containsString("s3"));
        given().get("/v1/databases").then().statusCode(401);
        given().header("Authorization", "Bearer " + LimitsProfile.FULL).get("/v1/databases").then().statusCode(200);
        // The libSQL client reads {"message","code"} with content-type exactly application/json.
        Response libsql = given().contentType(ContentType.JSON).body("{\"requests\":[]}").post("/libsql/local/v2/pipeline");
        assertThat(libsql.statusCode()).isEqualTo(401);
        assertThat(libsql.header("Content-Type")).isEqualTo("application/json");
        assertThat(libsql.jsonPath().getString("code")).isEqualTo("UNAUTHORIZED");
        Response forbidden = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.LOCAL_ONLY)
                .body("{\"requests\":[]}").post("/libsql/s3/v2/pipeline");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.jsonPath().getString("message")).contains("s3");
        // A catalog's name in a token's list means every database in it, and its listing.
        query(LimitsProfile.TENANTS_ONLY, "t-001", "SELECT id FROM t").then().statusCode(200);
        query(LimitsProfile.TENANTS_ONLY, "local", "SELECT 1").then().statusCode(403);
        query(LimitsProfile.LOCAL_ONLY, "t-001", "SELECT 1").then().statusCode(403);
        given().header("Authorization", "Bearer " + LimitsProfile.TENANTS_ONLY).get("/v1/catalogs/tenants").then().statusCode(200);
        given().header("Authorization", "Bearer " + LimitsProfile.LOCAL_ONLY).get("/v1/catalogs/tenants").then().statusCode(403);
        // Probes and scrapers need no token.
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void anAnswerPastMaxBytesIsTruncated() {
        Response r = query(LimitsProfile.FULL, "local", "SELECT id, body FROM items ORDER BY id");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("truncated")).isTrue();
        int rows = r.jsonPath().getList("rows").size();
        // body blobs are 100..149 bytes, about 190 characters of base64 each: 64 KiB holds a few hundred.
        assertThat(rows).isBetween(200, 400);
        assertThat(r.asString().length()).isLessThan(80 * 1024);
    }

    @Test
    void aValueOrRowPastMaxBytesFailsNamingTheLimitInJsonNdjsonAndLibsql() {
        String limit = "ltxvfs.query.max-bytes (64 KiB)";
        for (String sql : new String[] {"SELECT zeroblob(500000000)", "SELECT randomblob(900000000)",
                "SELECT printf('%.40000c', 'x') AS a, printf('%.40000c', 'y') AS b"}) {
            query(LimitsProfile.FULL, "local", sql).then().statusCode(422).body("error.code", equalTo("too_big"))
                    .body("error.message", containsString(limit));
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                    .header("Accept", "application/x-ndjson").body(Map.of("sql", sql))
                    .post("/v1/databases/local/query").then().statusCode(422).body("error.message", containsString(limit));
            Response libsql = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                    .body(Map.of("requests", java.util.List.of(Map.of("type", "execute", "stmt", Map.of("sql", sql)))))
                    .post("/libsql/local/v2/pipeline");
            assertThat(libsql.jsonPath().getString("results[0].error.code")).isEqualTo("SQLITE_TOOBIG");
            assertThat(libsql.jsonPath().getString("results[0].error.message")).contains(limit);
        }
        // A big row after the NDJSON header: the stream ends with an error line naming the limit.
        String late = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 600) "
                + "SELECT i, CASE WHEN i < 500 THEN 'small' ELSE printf('%.70000c', 'x') END FROM n";
        String body = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                .header("Accept", "application/x-ndjson").body(Map.of("sql", late))
                .post("/v1/databases/local/query").then().statusCode(200).extract().asString();
        java.util.List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.getLast()).contains("too_big").contains(limit);
        assertThat(lines).hasSizeBetween(2, 500);
        query(LimitsProfile.FULL, "local", "SELECT 1").then().statusCode(200);
    }

    /** {@code rows} generated rows of about 110 bytes, sorted: past SQLite's 2 MB of sort memory they spill to temp files. */
    static String sorted(int rows) {
        return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < " + rows + ") "
                + "SELECT i, randomblob(100) AS r FROM n ORDER BY r";
    }

    @Test
    void aSortOrDistinctPastMaxTempBytesFailsNamingTheLimitAndTheServiceKeepsAnswering() {
        String limit = "ltxvfs.query.max-temp-bytes (4 MiB)";
        // 200,000 rows: about 22 MB to sort, or to keep in DISTINCT's temp b-tree.
        String distinct = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 200000) "
                + "SELECT count(*) FROM (SELECT DISTINCT randomblob(100) FROM n)";
        for (String sql : new String[] {sorted(200_000), distinct}) {
            query(LimitsProfile.FULL, "local", sql).then().statusCode(422).body("error.code", equalTo("too_big"))
                    .body("error.message", containsString(limit));
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                    .header("Accept", "application/x-ndjson").body(Map.of("sql", sql))
                    .post("/v1/databases/local/query").then().statusCode(422).body("error.message", containsString(limit));
            Response libsql = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                    .body(Map.of("requests", java.util.List.of(Map.of("type", "execute", "stmt", Map.of("sql", sql)))))
                    .post("/libsql/local/v2/pipeline");
            assertThat(libsql.jsonPath().getString("results[0].error.code")).isEqualTo("SQLITE_FULL");
            assertThat(libsql.jsonPath().getString("results[0].error.message")).contains(limit);
        }
        // A sort that spills less than the limit answers, and so does everything else.
        query(LimitsProfile.FULL, "local", sorted(25_000)).then().statusCode(200);
        query(LimitsProfile.FULL, "local", "SELECT count(*) FROM items").then().statusCode(200);
    }

    @Test
    void aQueryPastTheTimeoutIs504AndItsWorkerIsFreeAgain() {
        query(LimitsProfile.FULL, "local", ENDLESS).then().statusCode(504).body("error.code", equalTo("timeout"))
                .body("error.message", containsString("2 s"));
        query(LimitsProfile.FULL, "local", "SELECT count(*) FROM items").then().statusCode(200);
        // Through the libSQL pipeline: the statement fails with SQLITE_INTERRUPT, the request answers.
        Response r = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                .body("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"" + ENDLESS + "\"}},"
                        + "{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 1\"}},{\"type\":\"close\"}]}")
                .post("/libsql/local/v2/pipeline");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("results[0].error.code")).isEqualTo("SQLITE_INTERRUPT");
        assertThat(r.jsonPath().getString("results[1].error.code")).isEqualTo("SQLITE_INTERRUPT");
        assertThat(r.jsonPath().getString("results[2].type")).isEqualTo("ok");
    }

    @Test
    void aFullPoolAnswers503WithRetryAfterAtOnce() {
        // Own threads: the common pool may have a single thread on a small machine.
        var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
                () -> query(LimitsProfile.FULL, "local", ENDLESS).statusCode(), clients);
        awaitGauge("ltxvfs_workers_active", 1);
        CompletableFuture<Integer> queued = CompletableFuture.supplyAsync(
                () -> query(LimitsProfile.FULL, "local", ENDLESS).statusCode(), clients);
        awaitGauge("ltxvfs_workers_queue", 1);
        query(LimitsProfile.FULL, "local", "SELECT 1").then().statusCode(503).header("Retry-After", "1")
                .body("error.code", equalTo("overloaded"));
        Response libsql = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + LimitsProfile.FULL)
                .body("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 1\"}}]}").post("/libsql/local/v2/pipeline");
        assertThat(libsql.statusCode()).isEqualTo(503);
        assertThat(libsql.header("Retry-After")).isEqualTo("1");
        assertThat(libsql.jsonPath().getString("code")).isEqualTo("OVERLOADED");
        assertThat(running.join()).isEqualTo(504);
        assertThat(queued.join()).isEqualTo(504);
        query(LimitsProfile.FULL, "local", "SELECT 1").then().statusCode(200);
        clients.close();
    }

    /** Waits (without asserting on time) until a worker gauge in /q/metrics reaches {@code value}. */
    static void awaitGauge(String name, int value) {
        String want = name + " " + value + ".0";
        for (int i = 0; i < 500; i++) {
            String metrics = given().get("/q/metrics").asString();
            if (metrics.lines().anyMatch(l -> l.startsWith(want))) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(name + " never reached " + value);
    }
}
