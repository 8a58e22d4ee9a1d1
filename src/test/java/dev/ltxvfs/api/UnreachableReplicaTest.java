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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A replica that cannot be reached at start delays nothing: the service is live at once, readiness
 * names the database and the cause, and a query to it answers 503 with the cause within the open
 * timeout, while the other databases answer.
 */
@QuarkusTest
@Tag("quarkus")
@TestProfile(UnreachableReplicaProfile.class)
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class UnreachableReplicaTest {

    static Response query(String db) {
        return given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT 1")).when().post("/v1/databases/{db}/query", db);
    }

    @Test
    void isLiveAtOnceAndReadinessSaysWhichDatabaseIsNotReadyAndWhy() throws InterruptedException {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Response ready = null;
        for (int i = 0; i < 100; i++) { // the refused LIST fails within its retries (well under a second)
            ready = given().get("/q/health/ready");
            if (ready.jsonPath().getString("checks[0].data.refused").startsWith("not ready")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.jsonPath().getString("checks[0].data.refused"))
                .startsWith("not ready: LIST s3://bucket/db/").containsIgnoringCase("connection refused")
                .contains("failed after 2 attempts"); // ltxvfs.storage.s3.max-attempts, not the default 3
        assertThat(ready.jsonPath().getString("checks[0].data.silent")).isEqualTo("building index");
        assertThat(ready.jsonPath().getString("checks[0].data.local")).startsWith("TXID ");
    }

    @Test
    void aQueryToADatabaseThatCannotOpenGets503WithTheCauseWithinTheOpenTimeout() {
        // The message carries the configured open timeout: the query waited that long, not the 10 s
        // storage deadline nor the 60 s default.
        query("silent").then().statusCode(503).header("Retry-After", "1")
                .body("error.code", equalTo("storage_unavailable"))
                .body("error.message", containsString("opening database 'silent' took longer than 2 s"));

        query("refused").then().statusCode(503).body("error.message", containsString("connection refused"));
        query("local").then().statusCode(200);
    }
}
