package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GET /v1/databases/{db}/history: every moment of the test replica, paged, and readable at its time. */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class HistoryResourceTest {

    static JsonNode history(String db, String query) {
        return PlainSqlite.parse(given().when().get("/v1/databases/{db}/history" + query, db)
                .then().statusCode(200).extract().asString());
    }

    @Test
    void everyTransactionIsAnExactMomentNewestFirst() {
        for (String db : List.of("local", "s3")) {
            JsonNode h = history(db, "");
            assertThat(h.path("database").asText()).isEqualTo(db);
            assertThat(h.path("total").asInt()).isEqualTo(ReplicaTestResource.TRANSACTIONS);
            assertThat(h.path("next").isNull()).isTrue();
            JsonNode moments = h.path("moments");
            assertThat(moments.size()).isEqualTo(ReplicaTestResource.TRANSACTIONS);
            for (int i = 0; i < moments.size(); i++) {
                JsonNode m = moments.get(i);
                long txid = ReplicaTestResource.TRANSACTIONS - i;
                assertThat(m.path("txid").asText()).isEqualTo(String.format("%016x", txid));
                assertThat(Instant.parse(m.path("time").asText()))
                        .isEqualTo(ReplicaTestResource.T0.plusSeconds(60 * (txid - 1)));
                assertThat(m.path("exact").asBoolean()).isTrue();
                assertThat(m.path("resolvesTo").asText()).isEqualTo(m.path("txid").asText());
            }
            // The newest state's size is the plain file's; TXID 15 ends an L1 and the L2 compaction, 11 the snapshot.
            assertThat(moments.get(0).path("pageCount").asLong())
                    .isEqualTo(Long.parseLong(PlainSqlite.rows("PRAGMA page_count").getFirst().getFirst()));
            assertThat(moments.get(5).path("levels").toString()).isEqualTo("[0,1,2]");
            assertThat(moments.get(5).path("level").asInt()).isEqualTo(2);
            assertThat(moments.get(9).path("levels").toString()).isEqualTo("[0,9]");
            assertThat(moments.get(9).path("level").asInt()).isEqualTo(9);
            assertThat(h.path("oldest").path("txid").asText()).isEqualTo(String.format("%016x", 1));
            assertThat(h.path("newest")).isEqualTo(moments.get(0));
        }
    }

    @Test
    void pagesFollowNextToTheOldest() {
        List<String> txids = new ArrayList<>();
        String before = "";
        int pages = 0;
        while (before != null) {
            JsonNode h = history("s3", "?limit=7" + (before.isEmpty() ? "" : "&before=" + before));
            h.path("moments").forEach(m -> txids.add(m.path("txid").asText()));
            before = h.path("next").isNull() ? null : h.path("next").asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(txids).hasSize(ReplicaTestResource.TRANSACTIONS).doesNotHaveDuplicates();
        assertThat(txids).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void aQueryAtAMomentsTimeReadsThatMoment() {
        JsonNode m = history("local", "?limit=20").path("moments").get(12);
        String at = Instant.parse(m.path("time").asText()).plusMillis(1).toString();
        JsonNode answer = QueryResourceTest.query("s3", Map.of("sql", "SELECT count(*) FROM items", "at", at));
        assertThat(answer.path("txid").asText()).isEqualTo(m.path("txid").asText());
        long txid = Long.parseLong(m.path("txid").asText(), 16);
        assertThat(answer.path("rows").path(0).get(0).asLong()).isEqualTo(txid * ReplicaTestResource.ROWS_PER_TX + 2);
    }

    @Test
    void badParametersAndUnknownDatabasesAnswerTheErrorShape() {
        given().when().get("/v1/databases/local/history?before=xyz")
                .then().statusCode(400).body("error.code", equalTo("bad_request")).body("error.message", containsString("before"));
        given().when().get("/v1/databases/local/history?limit=0")
                .then().statusCode(400).body("error.code", equalTo("bad_request")).body("error.message", containsString("limit"));
        given().when().get("/v1/databases/local/history?limit=1001")
                .then().statusCode(400).body("error.code", equalTo("bad_request"));
        given().when().get("/v1/databases/nope/history")
                .then().statusCode(404).body("error.code", equalTo("unknown_database"));
        given().when().get("/v1/databases/local/history?before=1")
                .then().statusCode(200).body("moments.size()", equalTo(0)).body("total", equalTo(ReplicaTestResource.TRANSACTIONS));
    }

    @Test
    void theOpenApiDocumentDescribesIt() {
        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        JsonNode op = PlainSqlite.parse(openapi).path("paths").path("/v1/databases/{db}/history").path("get");
        assertThat(op.path("summary").asText()).contains("Restorable moments");
        assertThat(op.path("parameters").toString()).contains("before").contains("limit");
        assertThat(op.path("responses").path("404").toString()).contains("ApiError");
    }
}
