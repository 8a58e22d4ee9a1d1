package dev.ltxvfs.api.hrana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltxvfs.sql.Rows;
import dev.ltxvfs.sql.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Hrana-over-HTTP pipeline request ({@code {"baton":..., "requests":[...]}}) of a {@link Stream},
 * run on its {@link Session}: every request gets a result, in order, even after failures. Parsed
 * on the event loop, run on a worker.
 */
final class Pipeline {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String baton;
    private final List<JsonNode> requests;
    private Map<Integer, String> storedSql = new HashMap<>();
    private long rows;

    private Pipeline(String baton, List<JsonNode> requests) {
        this.baton = baton;
        this.requests = requests;
    }

    /** The baton that continues a stream; null opens one. */
    String baton() {
        return baton;
    }

    /** True when the pipeline closes its stream. */
    boolean closes() {
        return requests.stream().anyMatch(r -> r.path("type").asText().equals("close"));
    }

    /** Checks the envelope; a malformed one is an HTTP 400, not a per-request error. */
    static Pipeline parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new HranaException("HRANA_PROTO_ERROR", "the pipeline body must be a JSON object with \"requests\"");
        }
        JsonNode baton = body.get("baton");
        if (baton != null && !baton.isNull() && !baton.isTextual()) {
            throw new HranaException("HRANA_PROTO_ERROR", "\"baton\" must be a string or null");
        }
        JsonNode reqs = body.get("requests");
        if (reqs == null || !reqs.isArray()) {
            throw new HranaException("HRANA_PROTO_ERROR", "the pipeline body needs a \"requests\" array");
        }
        List<JsonNode> list = new ArrayList<>();
        reqs.forEach(list::add);
        return new Pipeline(baton == null || baton.isNull() ? null : baton.asText(), list);
    }

    /** True when a request executes SQL (so the pipeline needs a connection). */
    boolean needsSession() {
        return requests.stream().map(r -> r.path("type").asText())
                .anyMatch(t -> t.equals("execute") || t.equals("batch") || t.equals("sequence") || t.equals("describe"));
    }

    long rows() {
        return rows;
    }

    /**
     * The response body (without baton, which the stream adds); {@code session} is null when
     * {@link #needsSession()} is false and the stream is in no transaction.
     */
    ObjectNode run(Session session, Stream stream) {
        storedSql = stream.storedSql;
        ArrayNode results = JSON.arrayNode();
        for (JsonNode req : requests) {
            String type = req.path("type").asText("");
            try {
                ObjectNode response = JSON.objectNode().put("type", type);
                switch (type) {
                    case "execute" -> response.set("result", execute(session, req.path("stmt")));
                    case "describe" -> response.set("result", describe(session, sql(req)));
                    case "batch" -> response.set("result", batch(session, req.path("batch").path("steps")));
                    case "store_sql" -> storedSql.put(sqlId(req.get("sql_id")), requireText(req, "sql"));
                    case "close_sql" -> storedSql.remove(sqlId(req.get("sql_id")));
                    case "close" -> { }
                    case "sequence" -> sequence(session, sql(req));
                    case "get_autocommit" -> response.put("is_autocommit", session == null || !session.inTransaction());
                    default -> throw new HranaException("HRANA_PROTO_ERROR", "request type '" + type + "' is not supported");
                }
                results.add(JSON.objectNode().put("type", "ok").set("response", response));
            } catch (RuntimeException e) {
                results.add(JSON.objectNode().put("type", "error").set("error", HranaException.of(e).json()));
            }
        }
        ObjectNode out = JSON.objectNode();
        out.putNull("baton");
        out.putNull("base_url"); // every instance serves every stream: the client keeps its URL
        out.set("results", results);
        return out;
    }

    /** One statement's result: every row, or an error past max-rows or max-bytes. */
    private ObjectNode execute(Session session, JsonNode stmt) {
        String sql = sql(stmt);
        List<Object> positional = new ArrayList<>();
        stmt.path("args").forEach(a -> positional.add(HranaValues.decode(a)));
        Map<String, Object> named = new LinkedHashMap<>();
        stmt.path("named_args").forEach(a -> named.put(a.path("name").asText(), HranaValues.decode(a.get("value"))));
        boolean wantRows = wantRows(stmt);
        try (Rows r = session.execute(sql, positional, named)) {
            List<Object[]> all = r.all(wantRows);
            rows += all.size();
            ObjectNode out = JSON.objectNode();
            out.set("cols", cols(r.columns(), r.declTypes()));
            ArrayNode rowsOut = out.putArray("rows");
            for (Object[] row : all) {
                ArrayNode a = rowsOut.addArray();
                for (Object v : row) {
                    a.add(HranaValues.encode(v));
                }
            }
            out.put("affected_row_count", 0);
            out.putNull("last_insert_rowid");
            out.put("rows_read", all.size());
            out.put("rows_written", 0);
            return out;
        }
    }

    private static ArrayNode cols(List<String> names, List<String> declTypes) {
        ArrayNode cols = JSON.arrayNode();
        for (int i = 0; i < names.size(); i++) {
            cols.addObject().put("name", names.get(i)).put("decltype", declTypes.get(i));
        }
        return cols;
    }

    /** {@code describe}: parameters, columns and kind of a statement, without running it. */
    private static ObjectNode describe(Session session, String sql) {
        Session.Description d = session.describe(sql);
        ObjectNode out = JSON.objectNode();
        ArrayNode params = out.putArray("params");
        d.params().forEach(name -> params.addObject().put("name", name));
        out.set("cols", cols(d.columns().names(), d.columns().declTypes()));
        out.put("is_explain", d.explain());
        out.put("is_readonly", d.readOnly());
        return out;
    }

    private static boolean wantRows(JsonNode stmt) {
        return stmt.path("want_rows").asBoolean(true);
    }

    /** Steps run in order; a failing step does not stop the batch, conditions decide what runs. */
    private ObjectNode batch(Session session, JsonNode steps) {
        int n = steps.size();
        Boolean[] outcome = new Boolean[n]; // null: not executed, true: ok, false: error
        ArrayNode results = JSON.arrayNode();
        ArrayNode errors = JSON.arrayNode();
        for (int i = 0; i < n; i++) {
            JsonNode step = steps.get(i);
            JsonNode cond = step.get("condition");
            if (cond != null && !cond.isNull() && !holds(cond, outcome, session)) {
                results.addNull();
                errors.addNull();
                continue;
            }
            try {
                results.add(execute(session, step.path("stmt")));
                errors.addNull();
                outcome[i] = true;
            } catch (RuntimeException e) {
                results.addNull();
                errors.add(HranaException.of(e).json());
                outcome[i] = false;
            }
        }
        ObjectNode out = JSON.objectNode();
        out.set("step_results", results);
        out.set("step_errors", errors);
        return out;
    }

    static boolean holds(JsonNode cond, Boolean[] outcome, Session session) {
        String type = cond.path("type").asText("");
        return switch (type) {
            case "ok", "error" -> {
                int step = cond.path("step").asInt(-1);
                if (step < 0 || step >= outcome.length) {
                    throw new HranaException("HRANA_PROTO_ERROR", "a batch condition names step " + step + ", which does not exist");
                }
                yield outcome[step] != null && outcome[step] == type.equals("ok");
            }
            case "not" -> !holds(cond.path("cond"), outcome, session);
            case "and" -> {
                boolean all = true;
                for (JsonNode c : cond.path("conds")) {
                    all &= holds(c, outcome, session);
                }
                yield all;
            }
            case "or" -> {
                boolean any = false;
                for (JsonNode c : cond.path("conds")) {
                    any |= holds(c, outcome, session);
                }
                yield any;
            }
            case "is_autocommit" -> session == null || !session.inTransaction();
            default -> throw new HranaException("HRANA_PROTO_ERROR", "unknown batch condition '" + type + "'");
        };
    }

    /** {@code sequence}: several statements separated by semicolons, rows dropped, stop at the first error. */
    private void sequence(Session session, String sql) {
        for (String one : Statements.split(sql)) {
            try (Rows r = session.execute(one, List.of(), Map.of())) {
                r.all(false);
            }
        }
    }

    /** The statement's SQL: inline {@code sql} or a {@code sql_id} stored earlier in this pipeline. */
    private String sql(JsonNode stmt) {
        JsonNode sql = stmt.get("sql");
        JsonNode id = stmt.get("sql_id");
        if (sql != null && !sql.isNull()) {
            if (id != null && !id.isNull()) {
                throw new HranaException("HRANA_PROTO_ERROR", "a statement has both \"sql\" and \"sql_id\"");
            }
            if (!sql.isTextual()) {
                throw new HranaException("HRANA_PROTO_ERROR", "\"sql\" must be a string");
            }
            return sql.asText();
        }
        if (id == null || id.isNull()) {
            throw new HranaException("HRANA_PROTO_ERROR", "a statement needs \"sql\" or \"sql_id\"");
        }
        String stored = storedSql.get(sqlId(id));
        if (stored == null) {
            throw new HranaException("SQL_NOT_FOUND", "no SQL stored under sql_id " + id.asText() + " in this stream");
        }
        return stored;
    }

    private static int sqlId(JsonNode id) {
        if (id == null || !id.canConvertToInt()) {
            throw new HranaException("HRANA_PROTO_ERROR", "\"sql_id\" must be an integer");
        }
        return id.intValue();
    }

    private static String requireText(JsonNode req, String field) {
        JsonNode v = req.get(field);
        if (v == null || !v.isTextual()) {
            throw new HranaException("HRANA_PROTO_ERROR", "\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
