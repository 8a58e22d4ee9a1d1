package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** S3 unreachable: a query that needs pages not cached answers 503 with Retry-After; back once it returns. */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class OutageTest {
    static final String ALL_PAGES = "SELECT sum(length(body)) FROM items";

    @Test
    void storageUnreachableIs503AndRecovers() {
        OperationsTest.awaitReady();
        S3ProxyServer s3 = S3ProxyServer.get();
        s3.stop();
        try {
            given().contentType(ContentType.JSON).body(Map.of("sql", ALL_PAGES))
                    .when().post("/v1/databases/s3cold/query")
                    .then().statusCode(503).header("Retry-After", "1")
                    .body("error.code", equalTo("storage_unavailable"))
                    .body("error.message", containsString("cannot read the replica"));
        } finally {
            s3.start();
            // The in-memory S3Proxy comes back empty: put the replica back.
            s3.ensureBucket(ReplicaTestResource.bucket());
            ReplicaUpload.upload(ReplicaTestResource.replicaDir(), s3.client(), ReplicaTestResource.bucket(), "items");
        }
        String expected = PlainSqlite.rows(ALL_PAGES).get(0).get(0);
        given().contentType(ContentType.JSON).body(Map.of("sql", ALL_PAGES))
                .when().post("/v1/databases/s3cold/query")
                .then().statusCode(200).body("rows[0][0].toString()", equalTo(expected));
    }
}
