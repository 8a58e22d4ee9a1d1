package dev.ltxvfs.api.hrana;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.api.ReplicaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Hrana-over-HTTP pipeline, fed the exact JSON @libsql/client 0.18 sends (see hrana notes). */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class HranaResourceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Response post(String db, String body) {
        return given().header("Content-Type", "application/json").body(body).when().post("/libsql/" + db + "/v2/pipeline");
    }

    static JsonNode ok(String db, String body) {
        Response r = post(db, body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        // The client compares the content type with === before it reads an error: no charset.
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        try {
            JsonNode n = JSON.readTree(r.asString());
            // A pipeline that closes its stream gets no baton; any other one gets the next.
            assertThat(n.get("baton").isNull()).isEqualTo(body.contains("\"type\":\"close\""));
            return n;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void executeEncodesEveryValueType() {
        JsonNode r = ok("local", """
                {"requests":[{"type":"execute","stmt":{"sql":"SELECT 1 AS i, 2.5 AS f, 'x' AS t, x'0102' AS b, NULL AS n","args":[],"named_args":[],"want_rows":true}},{"type":"close"}]}""");
        assertThat(r.path("results").size()).isEqualTo(2);
        JsonNode result = r.at("/results/0/response/result");
        assertThat(r.at("/results/0/type").asText()).isEqualTo("ok");
        assertThat(r.at("/results/0/response/type").asText()).isEqualTo("execute");
        assertThat(result.path("rows").get(0).toString()).isEqualTo("[{\"type\":\"integer\",\"value\":\"1\"},"
                + "{\"type\":\"float\",\"value\":2.5},{\"type\":\"text\",\"value\":\"x\"},{\"type\":\"blob\",\"base64\":\"AQI=\"},"
                + "{\"type\":\"null\"}]");
        assertThat(result.path("cols").get(0).toString()).isEqualTo("{\"name\":\"i\",\"decltype\":null}");
        assertThat(result.path("affected_row_count").asInt()).isZero();
        assertThat(r.at("/results/1").toString()).isEqualTo("{\"type\":\"ok\",\"response\":{\"type\":\"close\"}}");
        // JSON has no Infinity token; JavaScript reads 1e999 as Infinity.
        String inf = post("local", "{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 1e999, -1e999\"}}]}").asString();
        assertThat(inf).contains("{\"type\":\"float\",\"value\":1e999},{\"type\":\"float\",\"value\":-1e999}");
    }

    @Test
    void integersAreExactDecimalStringsAndDecltypesComeFromTheTable() {
        JsonNode r = ok("s3", """
                {"requests":[{"type":"execute","stmt":{"sql":"SELECT big, id, body FROM items WHERE id = ?","args":[{"type":"float","value":0}],"named_args":[],"want_rows":true}}]}""");
        JsonNode result = r.at("/results/0/response/result");
        assertThat(result.at("/rows/0/0").toString()).isEqualTo("{\"type\":\"integer\",\"value\":\"" + ReplicaTestResource.BIG + "\"}");
        assertThat(result.at("/rows/0/2/base64").asText()).isEqualTo("AP8Q");
        assertThat(result.at("/cols/0/decltype").asText()).isEqualTo("INTEGER");
    }

    @Test
    void positionalAndNamedArguments() {
        JsonNode r = ok("local", """
                {"requests":[
                 {"type":"execute","stmt":{"sql":"SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e","args":[{"type":"integer","value":"9223372036854775807"},{"type":"text","value":"hello"},{"type":"float","value":1.5},{"type":"null"},{"type":"blob","base64":"AwQ="}],"named_args":[],"want_rows":true}},
                 {"type":"execute","stmt":{"sql":"SELECT :a AS a, @b AS b, $c AS c","args":[],"named_args":[{"name":"a","value":{"type":"integer","value":"1"}},{"name":"@b","value":{"type":"text","value":"named"}},{"name":"c","value":{"type":"float","value":2.25}}],"want_rows":true}},
                 {"type":"close"}]}""");
        assertThat(r.at("/results/0/response/result/rows/0").toString()).isEqualTo("[{\"type\":\"integer\",\"value\":\"9223372036854775807\"},"
                + "{\"type\":\"text\",\"value\":\"hello\"},{\"type\":\"float\",\"value\":1.5},{\"type\":\"null\"},{\"type\":\"blob\",\"base64\":\"AwQ=\"}]");
        assertThat(r.at("/results/1/response/result/rows/0").toString()).isEqualTo(
                "[{\"type\":\"integer\",\"value\":\"1\"},{\"type\":\"text\",\"value\":\"named\"},{\"type\":\"float\",\"value\":2.25}]");
    }

    @Test
    void readBatchAsTheClientSendsIt() {
        JsonNode r = ok("local", """
                {"requests":[
                 {"type":"store_sql","sql_id":0,"sql":"SELECT count(*) AS n FROM items"},
                 {"type":"store_sql","sql_id":1,"sql":"SELECT ? AS two, 'b' AS t"},
                 {"type":"batch","batch":{"steps":[
                   {"stmt":{"sql":"BEGIN TRANSACTION READONLY","args":[],"named_args":[],"want_rows":false}},
                   {"condition":{"type":"ok","step":0},"stmt":{"sql_id":0,"args":[],"named_args":[],"want_rows":true}},
                   {"condition":{"type":"ok","step":1},"stmt":{"sql_id":1,"args":[{"type":"integer","value":"2"}],"named_args":[],"want_rows":true}},
                   {"condition":{"type":"ok","step":2},"stmt":{"sql":"COMMIT","args":[],"named_args":[],"want_rows":false}},
                   {"condition":{"type":"not","cond":{"type":"ok","step":3}},"stmt":{"sql":"ROLLBACK","args":[],"named_args":[],"want_rows":false}}]}},
                 {"type":"close"}]}""");
        assertThat(r.path("results").size()).isEqualTo(4);
        assertThat(r.at("/results/0").toString()).isEqualTo("{\"type\":\"ok\",\"response\":{\"type\":\"store_sql\"}}");
        JsonNode batch = r.at("/results/2/response/result");
        assertThat(batch.path("step_errors").toString()).isEqualTo("[null,null,null,null,null]");
        JsonNode results = batch.path("step_results");
        assertThat(results.size()).isEqualTo(5);
        assertThat(results.get(0).path("rows").size()).isZero();
        assertThat(results.at("/1/rows/0/0/value").asText())
                .isEqualTo(Integer.toString(ReplicaTestResource.TRANSACTIONS * ReplicaTestResource.ROWS_PER_TX + 2));
        assertThat(results.at("/2/rows/0").toString()).isEqualTo("[{\"type\":\"integer\",\"value\":\"2\"},{\"type\":\"text\",\"value\":\"b\"}]");
        assertThat(results.get(3).isObject()).isTrue();
        assertThat(results.get(4).isNull()).isTrue(); // ROLLBACK skipped: COMMIT succeeded
    }

    @Test
    void aWriteInABatchFailsItsStepSkipsTheRestAndRollsBack() {
        JsonNode r = ok("s3", """
                {"requests":[
                 {"type":"store_sql","sql_id":0,"sql":"SELECT 1"},
                 {"type":"store_sql","sql_id":1,"sql":"CREATE TABLE x(a)"},
                 {"type":"batch","batch":{"steps":[
                   {"stmt":{"sql":"BEGIN TRANSACTION READONLY","want_rows":false}},
                   {"condition":{"type":"ok","step":0},"stmt":{"sql_id":0}},
                   {"condition":{"type":"ok","step":1},"stmt":{"sql_id":1}},
                   {"condition":{"type":"ok","step":2},"stmt":{"sql":"COMMIT","want_rows":false}},
                   {"condition":{"type":"not","cond":{"type":"ok","step":3}},"stmt":{"sql":"ROLLBACK","want_rows":false}},
                   {"condition":{"type":"or","conds":[{"type":"error","step":2},{"type":"ok","step":99}]},"stmt":{"sql":"SELECT 'after'"}},
                   {"condition":{"type":"and","conds":[{"type":"ok","step":1},{"type":"error","step":1}]},"stmt":{"sql":"SELECT 'never'"}}]}},
                 {"type":"close"}]}""");
        // A condition on a step that does not exist fails the whole batch request.
        assertThat(r.at("/results/2/type").asText()).isEqualTo("error");
        JsonNode ok = ok("s3", """
                {"requests":[
                 {"type":"store_sql","sql_id":0,"sql":"SELECT 1"},
                 {"type":"store_sql","sql_id":1,"sql":"CREATE TABLE x(a)"},
                 {"type":"batch","batch":{"steps":[
                   {"stmt":{"sql":"BEGIN TRANSACTION READONLY","want_rows":false}},
                   {"condition":{"type":"ok","step":0},"stmt":{"sql_id":0}},
                   {"condition":{"type":"ok","step":1},"stmt":{"sql_id":1}},
                   {"condition":{"type":"ok","step":2},"stmt":{"sql":"COMMIT","want_rows":false}},
                   {"condition":{"type":"not","cond":{"type":"ok","step":3}},"stmt":{"sql":"ROLLBACK","want_rows":false}},
                   {"condition":{"type":"or","conds":[{"type":"error","step":2},{"type":"ok","step":3}]},"stmt":{"sql":"SELECT 'after'"}},
                   {"condition":{"type":"and","conds":[{"type":"ok","step":1},{"type":"error","step":1}]},"stmt":{"sql":"SELECT 'never'"}}]}},
                 {"type":"close"}]}""");
        JsonNode batch = ok.at("/results/2/response/result");
        JsonNode errors = batch.path("step_errors");
        assertThat(errors.at("/2/code").asText()).isEqualTo("SQLITE_READONLY");
        assertThat(errors.at("/2/message").asText()).contains("read-only");
        JsonNode results = batch.path("step_results");
        assertThat(results.get(2).isNull()).isTrue();
        assertThat(results.get(3).isNull() && errors.get(3).isNull()).as("COMMIT skipped").isTrue();
        assertThat(results.get(4).isObject()).as("ROLLBACK ran").isTrue();
        assertThat(results.at("/5/rows/0/0/value").asText()).isEqualTo("after");
        assertThat(results.get(6).isNull() && errors.get(6).isNull()).isTrue();
        assertThat(ok.at("/results/3/type").asText()).isEqualTo("ok");
    }

    @Test
    void writesAnswerSqliteReadonly() {
        for (String sql : new String[] {"CREATE TABLE x(a)", "INSERT INTO items(id) VALUES (99999999)", "DELETE FROM items",
            "ATTACH ':memory:' AS m", "PRAGMA user_version = 7", "SELECT load_extension('x')", "BEGIN IMMEDIATE"}) {
            JsonNode r = ok("local", "{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":" + JSON.valueToTree(sql)
                    + ",\"args\":[],\"named_args\":[],\"want_rows\":true}},{\"type\":\"close\"}]}");
            assertThat(r.at("/results/0/type").asText()).as(sql).isEqualTo("error");
            assertThat(r.at("/results/0/error/code").asText()).as(sql).isEqualTo("SQLITE_READONLY");
            assertThat(r.at("/results/0/error/message").asText()).as(sql).startsWith("attempt to write a readonly database")
                    .contains("read-only");
            assertThat(r.at("/results/1/type").asText()).isEqualTo("ok");
        }
    }

    @Test
    void sqlErrorsStoredSqlAndSequence() {
        JsonNode r = ok("local", """
                {"requests":[
                 {"type":"execute","stmt":{"sql":"SELECT nope FROM items"}},
                 {"type":"execute","stmt":{"sql_id":5}},
                 {"type":"store_sql","sql_id":5,"sql":"SELECT 5"},
                 {"type":"execute","stmt":{"sql_id":5}},
                 {"type":"close_sql","sql_id":5},
                 {"type":"execute","stmt":{"sql_id":5}},
                 {"type":"sequence","sql":"SELECT 1; SELECT 'a;b'; -- done;"},
                 {"type":"sequence","sql":"SELECT 1; DELETE FROM items"},
                 {"type":"get_autocommit"},
                 {"type":"describe_everything"},
                 {"type":"close"}]}""");
        JsonNode res = r.path("results");
        assertThat(res.size()).isEqualTo(11);
        assertThat(res.at("/0/error/code").asText()).isEqualTo("SQLITE_ERROR");
        assertThat(res.at("/0/error/message").asText()).isEqualTo("no such column: nope");
        assertThat(res.at("/1/error/code").asText()).isEqualTo("SQL_NOT_FOUND");
        assertThat(res.at("/3/response/result/rows/0/0/value").asText()).isEqualTo("5");
        assertThat(res.at("/5/error/code").asText()).isEqualTo("SQL_NOT_FOUND");
        assertThat(res.at("/6").toString()).isEqualTo("{\"type\":\"ok\",\"response\":{\"type\":\"sequence\"}}");
        assertThat(res.at("/7/error/code").asText()).isEqualTo("SQLITE_READONLY");
        assertThat(res.at("/8/response/is_autocommit").asBoolean()).isTrue();
        assertThat(res.at("/9/error/code").asText()).isEqualTo("HRANA_PROTO_ERROR");
        assertThat(res.at("/10/type").asText()).isEqualTo("ok");
    }

    @Test
    void httpErrorsAreJsonTheClientCanRead() {
        Response bad = post("local", "{\"requests\": [");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).isEqualTo("application/json");
        assertThat(bad.jsonPath().getString("code")).isEqualTo("HRANA_PROTO_ERROR");

        Response unknown = post("nope", "{\"requests\":[]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/json");
        assertThat(unknown.jsonPath().getString("message")).contains("nope");

        Response noDb = given().header("Content-Type", "application/json").body("{\"requests\":[]}").post("/libsql/v2/pipeline");
        assertThat(noDb.statusCode()).isEqualTo(404);
        assertThat(noDb.header("Content-Type")).isEqualTo("application/json");
        assertThat(noDb.jsonPath().getString("message")).contains("must end with '/libsql/<db>/'");

        Response baton = post("local", "{\"baton\":\"abc\",\"requests\":[{\"type\":\"close\"}]}");
        assertThat(baton.statusCode()).isEqualTo(400);
        assertThat(baton.jsonPath().getString("code")).isEqualTo("BATON_INVALID");

        assertThat(given().get("/libsql/local/v2").statusCode()).isEqualTo(200);
        assertThat(given().get("/libsql/local/v3-protobuf").statusCode()).isEqualTo(404);
        assertThat(ok("local", "{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 3\"}}]}")
                .at("/results/0/response/result/rows/0/0/value").asText()).isEqualTo("3");
        // v3 clients that post JSON reach the same pipeline.
        Response v3 = given().header("Content-Type", "application/json")
                .body("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 4\"}}]}").post("/libsql/local/v3/pipeline");
        assertThat(v3.statusCode()).isEqualTo(200);
        assertThat(v3.jsonPath().getString("results[0].response.result.rows[0][0].value")).isEqualTo("4");
    }
}
