package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.ltxvfs.testing.Tenants;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The catalog {@code tenants} of the test resource: a local folder of tiny replicas, served over
 * REST, libSQL and the list and health endpoints, opened on first use; bad names answer 400.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class CatalogsResourceTest {

    static Response query(String db, String sql) {
        return given().contentType(ContentType.JSON).body(Map.of("sql", sql)).when().post("/v1/databases/{db}/query", db);
    }

    @Test
    void aCatalogsDatabasesAnswerOverRestAndLibsql() {
        for (int i = 0; i < ReplicaTestResource.TENANTS; i++) {
            query(Tenants.name(i), "SELECT id, name FROM t").then().statusCode(200)
                    .body("rows[0][0]", equalTo(i)).body("rows[0][1]", equalTo(Tenants.name(i)));
        }
        given().get("/v1/databases").then().statusCode(200).body("databases.name", hasItem("t-003"));
        given().get("/v1/databases/t-004").then().statusCode(200).body("catalog", equalTo("tenants")).body("ready", equalTo(true));
        Response libsql = given().contentType(ContentType.JSON)
                .body("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT name FROM t\"}},{\"type\":\"close\"}]}")
                .post("/libsql/t-002/v2/pipeline");
        assertThat(libsql.statusCode()).isEqualTo(200);
        assertThat(libsql.jsonPath().getString("results[0].response.result.rows[0][0].value")).isEqualTo("t-002");
        given().get("/libsql/t-001/v2").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.'catalog tenants'", containsString("file://"));
    }

    @Test
    void aCatalogListsItsDatabasesPageByPage() {
        given().get("/v1/catalogs").then().statusCode(200).body("name", hasItem("tenants"));
        List<String> all = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            var req = given().queryParam("limit", 2);
            if (page != null) {
                req = req.queryParam("page", page);
            }
            Response r = req.get("/v1/catalogs/tenants");
            assertThat(r.statusCode()).isEqualTo(200);
            all.addAll(r.jsonPath().getList("databases", String.class));
            page = r.jsonPath().getString("next");
            pages++;
        } while (page != null && pages < 10);
        // Folders, not checked one by one: "notes" (no replica) is listed too.
        assertThat(all).containsSubsequence("notes", "t-000", "t-001", "t-002", "t-003", "t-004");
        given().get("/v1/catalogs/nosuch").then().statusCode(404);
        given().queryParam("limit", 0).get("/v1/catalogs/tenants").then().statusCode(400);
    }

    @Test
    void missingNamesAnswer404WithTheReason() {
        query("t-999", "SELECT 1").then().statusCode(404).body("error.message", containsString("has no folder 't-999'"));
        query("notes", "SELECT 1").then().statusCode(404).body("error.message", containsString("holds no Litestream replica"));
        given().get("/v1/databases/t-999").then().statusCode(404);
        given().contentType(ContentType.JSON).accept("application/x-ndjson").body(Map.of("sql", "SELECT 1"))
                .post("/v1/databases/t-999/query").then().statusCode(404);
        Response libsql = given().get("/libsql/t-999/v2");
        assertThat(libsql.statusCode()).isEqualTo(404);
        assertThat(libsql.jsonPath().getString("code")).isEqualTo("DATABASE_NOT_FOUND");
    }

    @Test
    void badNamesAnswer400NamingTheRule() {
        Map<String, String> cases = Map.of(
                "a..b", "'..'",
                "%252e%252e", "'%'",
                "t%01x", "control characters",
                "x".repeat(256), "at most 255 bytes",
                "t-001%5C..", "'\\'");
        cases.forEach((raw, rule) -> given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(Map.of("sql", "SELECT 1")).post("/v1/databases/" + raw + "/query")
                .then().statusCode(400).body("error.message", containsString(rule)));
        // An encoded '/' or '..' never reaches another folder: refused, or not a route at all.
        for (String raw : List.of("t-001%2F..%2Ft-002", "%2e%2e")) {
            int status = given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("sql", "SELECT 1"))
                    .post("/v1/databases/" + raw + "/query").statusCode();
            assertThat(status).as(raw).isIn(400, 404);
        }
    }
}
