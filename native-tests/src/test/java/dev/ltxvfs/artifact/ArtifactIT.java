package dev.ltxvfs.artifact;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.testing.S3ProxyServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged artifact (the JVM jar, or the native executable with -Dnative), started as its own
 * process by Quarkus and used only over HTTP, as a deployment uses it: health, queries against S3
 * and a local directory, a point in time, NDJSON, the read-only guard, OpenAPI, and an S3 outage.
 */
@QuarkusIntegrationTest
@WithTestResource(value = ReplicasResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArtifactIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LAST_TXID = String.format("%016x", TestReplica.COMMITS);
    static final int ROWS = TestReplica.rowsAfter(TestReplica.COMMITS - 1);

    @BeforeEach
    void awaitReady() throws InterruptedException {
        // Quarkus waits for the HTTP port; readiness also needs the indexes (built in the background).
        for (int i = 0; i < 300 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
    }

    static Response query(String db, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/databases/" + db + "/query");
    }

    @Test
    @Order(1)
    void isLiveAndReadyOnceEveryIndexIsBuilt() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.orders", equalTo("TXID " + LAST_TXID))
                .body("checks[0].data.files", equalTo("TXID " + LAST_TXID));
    }

    @Test
    @Order(2)
    void answersFromTheReplicaInS3() {
        query("orders", Map.of("sql", "SELECT count(*), max(id), sum(v) FROM items")).then().statusCode(200)
                .body("columns", equalTo(List.of("count(*)", "max(id)", "sum(v)")))
                .body("rows", equalTo(List.of(List.of(ROWS, ROWS, 1500))))
                .body("txid", equalTo(LAST_TXID));
    }

    @Test
    @Order(3)
    void answersFromTheReplicaInALocalDirectory() {
        query("files", Map.of("sql", "SELECT name FROM items WHERE id = ?", "params", List.of(42))).then().statusCode(200)
                .body("rows", equalTo(List.of(List.of("item-42"))))
                .body("txid", equalTo(LAST_TXID));
    }

    @Test
    @Order(4)
    void readsAPointInTime() {
        // On the local replica: its files carry their commit times (S3 objects carry upload times).
        String at = TestReplica.commitTime(2).plusSeconds(30).toString();
        query("files", Map.of("sql", "SELECT count(*) FROM items", "at", at)).then().statusCode(200)
                .body("rows", equalTo(List.of(List.of(TestReplica.rowsAfter(2)))))
                .body("txid", equalTo(String.format("%016x", 3)));
        query("files", Map.of("sql", "SELECT count(*) FROM items", "at", TestReplica.T0.minusSeconds(3600).toString()))
                .then().statusCode(422);
    }

    @Test
    @Order(5)
    void streamsNdjson() throws Exception {
        String body = given().contentType(ContentType.JSON).accept("application/x-ndjson")
                .body(Map.of("sql", "SELECT id, name FROM items ORDER BY id"))
                .post("/v1/databases/files/query")
                .then().statusCode(200).contentType(startsWith("application/x-ndjson"))
                .extract().asString();
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1 + ROWS);
        JsonNode header = JSON.readTree(lines.getFirst());
        assertThat(header.get("columns").toString()).isEqualTo("[\"id\",\"name\"]");
        assertThat(header.get("txid").asText()).isEqualTo(LAST_TXID);
        assertThat(JSON.readTree(lines.getLast()).toString()).isEqualTo("[" + ROWS + ",\"item-" + ROWS + "\"]");
    }

    @Test
    @Order(6)
    void refusesEveryKindOfWrite() {
        for (String sql : List.of("INSERT INTO items(name) VALUES ('x')", "DELETE FROM items", "CREATE TABLE t(x)",
                "ATTACH DATABASE '/tmp/x.db' AS x", "PRAGMA user_version = 7", "SELECT load_extension('/tmp/x')")) {
            Response r = query("orders", Map.of("sql", sql));
            assertThat(r.statusCode()).as(sql).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.message")).as(sql).containsIgnoringCase("read-only");
        }
        query("orders", Map.of("sql", "SELECT count(*) FROM items")).then().statusCode(200);
    }

    @Test
    @Order(7)
    void servesTheOpenApiDocumentItsBootDidNotBuild() {
        // Production builds build it at the first request (LazyOpenApiDocumentService), in both formats.
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(yaml).startsWith("---\nopenapi: 3.1.0").contains("/v1/databases/{db}/query:")
                .contains("/libsql/{db}/v2/pipeline:").contains("title: ltxvfs");
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("openapi", equalTo("3.1.0")).body("paths", hasKey("/v1/databases/{db}/history"));
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString()).isEqualTo(yaml);
    }

    @Test
    @Order(8)
    void survivesAStorageOutageAndRecovers() {
        String cold = "SELECT count(*), sum(length(body)) FROM cold";
        S3ProxyServer s3 = S3ProxyServer.get();
        s3.stop();
        try {
            Response down = query("orders", Map.of("sql", cold));
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.header("Retry-After")).isNotNull();
            assertThat(down.jsonPath().getString("error.code")).isEqualTo("storage_unavailable");
            // The process stays alive and the local database keeps answering.
            given().get("/q/health/live").then().statusCode(200);
            query("files", Map.of("sql", cold)).then().statusCode(200);
        } finally {
            s3.start();
            ReplicasResource.reupload();
        }
        query("orders", Map.of("sql", cold)).then().statusCode(200)
                .body("rows", equalTo(List.of(List.of(TestReplica.COLD_ROWS, TestReplica.COLD_ROWS * TestReplica.COLD_BYTES))));
    }
}
