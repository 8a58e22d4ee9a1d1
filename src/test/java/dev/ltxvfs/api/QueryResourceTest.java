package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** POST /v1/databases/{db}/query on both replicas: answers equal plain SQLite, errors are clear JSON. */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class QueryResourceTest {

    static JsonNode query(String db, Object body) {
        String json = given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/databases/{db}/query", db)
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        return PlainSqlite.parse(json);
    }

    @Test
    void answersEqualPlainSqliteOnBothReplicas() {
        String[] queries = {
            "SELECT count(*), sum(big), max(id), min(id) FROM items",
            "SELECT * FROM items WHERE id IN (0, -1, 1, 19200) ORDER BY id",
            "SELECT id, name, note FROM items WHERE name BETWEEN 'item 5000' AND 'item 5100' ORDER BY name",
            "SELECT body, f FROM items ORDER BY id DESC LIMIT 30",
            "SELECT note, count(*) FROM items GROUP BY note ORDER BY 2 DESC, 1 LIMIT 10",
        };
        for (String db : List.of("local", "s3")) {
            for (String q : queries) {
                JsonNode answer = query(db, Map.of("sql", q));
                assertThat(PlainSqlite.rows(answer)).as("%s: %s", db, q).isNotEmpty().isEqualTo(PlainSqlite.rows(q));
                assertThat(answer.path("txid").asText()).isEqualTo(String.format("%016x", ReplicaTestResource.TRANSACTIONS));
                assertThat(answer.path("truncated").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void integersStayExactBlobsAreBase64AndNullIsNull() {
        JsonNode a = query("local", Map.of("sql", "SELECT big, body, note, f, name FROM items WHERE id = 0"));
        assertThat(a.path("columns").toString()).isEqualTo("[\"big\",\"body\",\"note\",\"f\",\"name\"]");
        JsonNode row = a.path("rows").path(0);
        assertThat(row.get(0).isIntegralNumber()).isTrue();
        assertThat(row.get(0).asLong()).isEqualTo(ReplicaTestResource.BIG);
        assertThat(row.get(1).asText()).isEqualTo("AP8Q"); // x'00ff10'
        assertThat(row.get(2).isNull()).isTrue();
        assertThat(row.get(3).asDouble()).isEqualTo(2.5);
        JsonNode min = query("s3", Map.of("sql", "SELECT big, note FROM items WHERE id = ?", "params", List.of(-1)));
        assertThat(min.path("rows").path(0).get(0).asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(min.path("rows").path(0).get(1).asText()).isEqualTo("ünïcødé ☃");
    }

    @Test
    void parametersPositionalNamedAndBlob() {
        JsonNode a = query("local", Map.of("sql", "SELECT :a AS a, @b AS b, $c AS c, :a + 1 AS d",
                "params", Map.of("a", 9007199254740993L, "b", "x", "c", Map.of("base64", "AQI="))));
        assertThat(a.path("rows").path(0).toString()).isEqualTo("[9007199254740993,\"x\",\"AQI=\",9007199254740994]");
        JsonNode b = query("s3", Map.of("sql", "SELECT count(*) FROM items WHERE id BETWEEN ? AND ?", "params", List.of(1, 100)));
        assertThat(b.path("rows").path(0).get(0).asInt()).isEqualTo(100);
    }

    @Test
    void maxRowsTruncates() {
        JsonNode a = query("local", Map.of("sql", "SELECT id FROM items ORDER BY id", "maxRows", 7));
        assertThat(a.path("rows").size()).isEqualTo(7);
        assertThat(a.path("truncated").asBoolean()).isTrue();
    }

    @Test
    void badJsonAndMissingSqlAre400() {
        given().contentType(ContentType.JSON).body("{\"sql\": ")
                .when().post("/v1/databases/local/query")
                .then().statusCode(400).contentType(ContentType.JSON).body("error.code", equalTo("bad_request"));
        given().contentType(ContentType.JSON).body("{\"params\": []}")
                .when().post("/v1/databases/local/query")
                .then().statusCode(400).body("error.code", equalTo("bad_request")).body("error.message", containsString("sql"));
        given().contentType(ContentType.JSON).body("[1,2]")
                .when().post("/v1/databases/local/query")
                .then().statusCode(400).body("error.code", equalTo("bad_request"));
    }

    @Test
    void sqlErrorsAre400WithSqlitesMessage() {
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT nope FROM items"))
                .when().post("/v1/databases/local/query")
                .then().statusCode(400).body("error.code", equalTo("sql_error"))
                .body("error.message", containsString("no such column: nope"));
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELEC 1"))
                .when().post("/v1/databases/s3/query")
                .then().statusCode(400).body("error.code", equalTo("sql_error"))
                .body("error.message", containsString("syntax error"));
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT * FROM missing_table"))
                .when().post("/v1/databases/s3/query")
                .then().statusCode(400).body("error.message", containsString("no such table: missing_table"));
    }

    @Test
    void everyKindOfWriteIs400ReadOnly() {
        String[] writes = {
            "INSERT INTO items(id) VALUES (123456789)",
            "UPDATE items SET name = 'x'",
            "DELETE FROM items",
            "REPLACE INTO items(id) VALUES (1)",
            "CREATE TABLE t(a)",
            "CREATE TEMP TABLE t(a)",
            "DROP TABLE items",
            "ALTER TABLE items ADD COLUMN z",
            "CREATE INDEX i2 ON items(note)",
            "ATTACH DATABASE '/tmp/x.db' AS x",
            "ATTACH ':memory:' AS m",
            "DETACH x",
            "VACUUM",
            "VACUUM INTO '/tmp/ltxvfs-stolen.db'",
            "SELECT load_extension('/tmp/evil.so')",
            "select LOAD_EXTENSION ('/tmp/evil.so', 'init')",
            "PRAGMA user_version = 3",
            "PRAGMA journal_mode = WAL",
            "PRAGMA writable_schema = 1",
            "PRAGMA query_only(0)",
            "PRAGMA main.user_version = 1",
            "WITH x AS (SELECT 1) INSERT INTO items(id) SELECT * FROM x",
            "WITH x AS (SELECT 1) DELETE FROM items",
            "BEGIN IMMEDIATE",
            "REINDEX",
            "ANALYZE",
            "SAVEPOINT a",
        };
        for (String w : writes) {
            given().contentType(ContentType.JSON).body(Map.of("sql", w))
                    .when().post("/v1/databases/local/query")
                    .then().statusCode(400).body("error.message", containsString("read-only"));
        }
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT 1; DELETE FROM items"))
                .when().post("/v1/databases/local/query")
                .then().statusCode(400).body("error.message", containsString("one statement"));
        // Nothing changed, and no file was written.
        assertThat(query("local", Map.of("sql", "SELECT count(*) FROM items")).path("rows").path(0).get(0).asInt())
                .isEqualTo(ReplicaTestResource.TRANSACTIONS * ReplicaTestResource.ROWS_PER_TX + 2);
        assertThat(java.nio.file.Path.of("/tmp/ltxvfs-stolen.db")).doesNotExist();
    }

    @Test
    void readPragmasAnswer() {
        JsonNode a = query("s3", Map.of("sql", "PRAGMA table_info(items)"));
        assertThat(a.path("rows").size()).isEqualTo(6);
        JsonNode t = query("s3", Map.of("sql", "PRAGMA litestream_txid"));
        assertThat(t.path("rows").path(0).get(0).asText()).isEqualTo(String.format("%016x", ReplicaTestResource.TRANSACTIONS));
    }

    @Test
    void unknownDatabaseIs404() {
        given().contentType(ContentType.JSON).body(Map.of("sql", "SELECT 1"))
                .when().post("/v1/databases/nope/query")
                .then().statusCode(404).contentType(ContentType.JSON).body("error.code", equalTo("unknown_database"))
                .body("error.message", containsString("nope"));
        given().when().get("/v1/databases/nope").then().statusCode(404).body("error.code", equalTo("unknown_database"));
    }
}
