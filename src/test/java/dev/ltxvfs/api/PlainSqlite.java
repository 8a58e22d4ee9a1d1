package dev.ltxvfs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The oracle: the same SQL on the writer's plain SQLite file, rows as the API writes them in JSON. */
final class PlainSqlite {
    static final ObjectMapper JSON = new ObjectMapper();

    private PlainSqlite() {}

    /** Rows as JSON text per value (numbers exact, blobs base64, null), comparable with the API's. */
    static List<List<String>> rows(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ReplicaTestResource.plainDb());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(switch (v) {
                        case null -> "null";
                        case byte[] b -> JSON.valueToTree(Base64.getEncoder().encodeToString(b)).toString();
                        default -> JSON.valueToTree(v).toString();
                    });
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code rows} of an API answer, each value as its JSON text. */
    static List<List<String>> rows(JsonNode answer) {
        List<List<String>> out = new ArrayList<>();
        answer.path("rows").forEach(r -> {
            List<String> row = new ArrayList<>();
            r.forEach(v -> row.add(v.toString()));
            out.add(row);
        });
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
