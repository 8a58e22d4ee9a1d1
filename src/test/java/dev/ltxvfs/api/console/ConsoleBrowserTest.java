package dev.ltxvfs.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.api.ReplicaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console at {@code /} in real headless Chromium (Debian's, driven by npm playwright-core
 * through src/test/scripts/console-browser.sh), on a local and an S3Proxy replica behind a bearer
 * token. The browser script does what a user does and reports what the page showed; every
 * answer is checked here against plain SQLite at the same TXID. Screenshots stay in
 * target/console-screenshots.
 */
@QuarkusTest
@Tag("quarkus")
@TestProfile(ConsoleProfile.class)
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class ConsoleBrowserTest {
    static final String SQL = "SELECT id, customer, total, note, receipt FROM orders ORDER BY id";
    static final int PAST = 9;
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL url;

    @Test
    void aUserQueriesTravelsInTimeComparesExportsAndMeetsClearErrors() throws Exception {
        Path shots = Path.of("target/console-screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        Map<String, Object> plan = new LinkedHashMap<>();
        // 127.0.0.1, not localhost: Chromium may try ::1 first.
        plan.put("url", url.toString().replace("localhost", "127.0.0.1"));
        plan.put("token", ConsoleProfile.TOKEN);
        plan.put("wrongToken", "not-the-token");
        plan.put("databases", List.of("shop", "shop-s3"));
        plan.put("catalogDatabase", ShopReplica.CATALOG_DATABASE);
        plan.put("sql", SQL);
        plan.put("badSql", "SELEC id FROM orders");
        plan.put("beforeRetention", ShopReplica.T0.toString());
        plan.put("past", txid(PAST));
        plan.put("deleteFrom", txid(ShopReplica.DELETE - 1));
        plan.put("deleteTo", txid(ShopReplica.DELETE));
        plan.put("keyedTo", txid(ShopReplica.UPDATE));
        plan.put("keyColumn", "id");
        plan.put("screenshots", shots.toString());
        Path planFile = Files.createTempFile("console-plan", ".json");
        Path reportFile = Files.createTempFile("console-report", ".json");
        JSON.writeValue(planFile.toFile(), plan);

        JsonNode report = runBrowser(planFile, reportFile);

        assertThat(report.path("tokenPrompt").asText()).contains("needs a token");
        assertThat(report.path("wrongToken").asText()).contains("refused").contains("not valid");
        assertThat(report.path("foreignRequests")).as("requests to another origin").isEmpty();
        assertThat(report.path("tokenInUrl").asBoolean()).isFalse();
        List<String> expectedLatest = csvLines(ShopReplica.TRANSACTIONS);
        for (String db : List.of("shop", "shop-s3")) {
            JsonNode r = report.path("databases").path(db);
            assertThat(r.path("latest").path("txid").asText()).isEqualTo(txid(ShopReplica.TRANSACTIONS));
            assertThat(rows(r.path("latest").path("rows"))).as("%s latest", db).isEqualTo(cells(ShopReplica.TRANSACTIONS));
            assertThat(r.path("latest").path("columns").toString()).contains("receipt").contains("BLOB");

            assertThat(r.path("past").path("txid").asText()).isEqualTo(txid(PAST));
            assertThat(rows(r.path("past").path("rows"))).as("%s at TXID %d", db, PAST).isEqualTo(cells(PAST));

            List<List<String>> deleted = minus(cells(ShopReplica.DELETE - 1), cells(ShopReplica.DELETE));
            assertThat(deleted).isNotEmpty();
            assertThat(rows(r.path("compare").path("rows"))).as("%s: what the DELETE did", db)
                    .isEqualTo(withKind("− removed", deleted));
            assertThat(r.path("compare").path("meta").asText()).contains("− " + deleted.size() + " removed").contains("+ 0 added");

            List<List<String>> keyed = new ArrayList<>(withKind("− removed", deleted));
            keyed.addAll(withKind("~ changed", changed(ShopReplica.DELETE - 1, ShopReplica.UPDATE)));
            assertThat(rows(r.path("keyed").path("rows"))).as("%s: keyed by id", db).isEqualTo(keyed);
            assertThat(r.path("keyed").path("meta").asText()).contains("~ 2 changed");

            assertThat(r.path("csv").asText().split("\r\n")).as("%s CSV", db).containsExactlyElementsOf(expectedLatest);

            assertThat(r.path("badSql").asText()).contains("SQLite error").contains("syntax error");
            assertThat(r.path("beforeRetention").path("message").asText()).contains("before the oldest");
            assertThat(r.path("beforeRetention").path("fix").asText()).contains("oldest moment kept");
            assertThat(r.path("beforeRetention").path("fixedTxid").asText()).isEqualTo(txid(ShopReplica.OLDEST));
            assertThat(rows(r.path("beforeRetention").path("rows"))).isEqualTo(cells(ShopReplica.OLDEST));
        }
        JsonNode catalog = report.path("catalog");
        assertThat(catalog.path("group").asText()).isEqualTo("catalog branches");
        assertThat(catalog.path("txid").asText()).isEqualTo(txid(ShopReplica.TRANSACTIONS));
        assertThat(rows(catalog.path("rows"))).as("a catalog's database").isEqualTo(cells(ShopReplica.TRANSACTIONS));
        assertThat(report.path("screenshots").size()).isGreaterThanOrEqualTo(3);
        for (JsonNode shot : report.path("screenshots")) {
            assertThat(Path.of(shot.asText())).isRegularFile();
        }
    }

    static JsonNode runBrowser(Path plan, Path report) throws Exception {
        Path err = Files.createTempFile("console-browser", ".err");
        Process p = new ProcessBuilder("bash", "src/test/scripts/console-browser.sh", plan.toString(), report.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the browser run finishes").isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("browser run; stderr:%n%s", stderr).isZero();
        return JSON.readTree(report.toFile());
    }

    static String txid(long t) {
        return String.format("%016x", t);
    }

    static List<List<String>> rows(JsonNode rows) {
        List<List<String>> out = new ArrayList<>();
        rows.forEach(r -> {
            List<String> row = new ArrayList<>();
            r.forEach(v -> row.add(v.asText()));
            out.add(row);
        });
        return out;
    }

    /** The cells the console shows for SQL at {@code txid}: NULL, "BLOB n B", numbers and text as they are. */
    static List<List<String>> cells(long txid) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (Object[] row : plain(txid)) {
            List<String> r = new ArrayList<>();
            for (Object v : row) {
                r.add(v == null ? "NULL" : v instanceof byte[] b ? "BLOB " + b.length + " B" : v.toString());
            }
            out.add(r);
        }
        return out;
    }

    /** The CSV lines of the answer at {@code txid}: empty for NULL, blobs in base64. */
    static List<String> csvLines(long txid) throws Exception {
        List<String> out = new ArrayList<>(List.of("id,customer,total,note,receipt"));
        for (Object[] row : plain(txid)) {
            List<String> r = new ArrayList<>();
            for (Object v : row) {
                r.add(v == null ? "" : v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : v.toString());
            }
            out.add(String.join(",", r));
        }
        return out;
    }

    static List<Object[]> plain(long txid) throws Exception {
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + ShopReplica.plainAt(txid), new java.util.Properties());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[5];
                for (int i = 0; i < 5; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        }
    }

    static List<List<String>> minus(List<List<String>> a, List<List<String>> b) {
        Set<List<String>> gone = new HashSet<>(b);
        return a.stream().filter(r -> !gone.contains(r)).toList();
    }

    /** Rows with the same id and other values, shown as the new row with "old → new" in changed cells. */
    static List<List<String>> changed(long from, long to) throws Exception {
        Map<String, List<String>> before = new LinkedHashMap<>();
        cells(from).forEach(r -> before.put(r.getFirst(), r));
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : cells(to)) {
            List<String> old = before.get(r.getFirst());
            if (old != null && !old.equals(r)) {
                List<String> shown = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    shown.add(old.get(i).equals(r.get(i)) ? r.get(i) : old.get(i) + " → " + r.get(i));
                }
                out.add(shown);
            }
        }
        return out;
    }

    static List<List<String>> withKind(String kind, List<List<String>> rows) {
        return rows.stream().map(r -> {
            List<String> out = new ArrayList<>(List.of(kind));
            out.addAll(r);
            return out;
        }).toList();
    }
}
