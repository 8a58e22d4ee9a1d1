package dev.ltxvfs.api.hrana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.api.ReplicaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real npm {@code @libsql/client} 0.18 (installed once by the script, needs node and npm)
 * pointed at this server: literal and parameterised reads, a read batch, refused writes.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = ReplicaTestResource.class, restrictToAnnotatedClass = false)
class LibsqlClientTest {
    @TestHTTPResource("/libsql/local/")
    URL url;

    @Test
    void theRealClientReadsAndIsRefusedWrites() throws Exception {
        Path out = Files.createTempFile("libsql-check", ".out");
        Path err = Files.createTempFile("libsql-check", ".err");
        ProcessBuilder pb = new ProcessBuilder("bash", "src/test/node/run-libsql-check.sh")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // 127.0.0.1, not localhost: node may resolve localhost to ::1 first.
        pb.environment().put("LTXVFS_URL", url.toString().replace("localhost", "127.0.0.1"));
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the check finishes").isTrue();
        String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code; stdout %s; stderr %s", stdout, stderr).isZero();
        JsonNode report = new ObjectMapper().readTree(stdout.lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(report.path("failures").size()).isZero();
        assertThat(report.path("url_used").asText()).endsWith("/libsql/local/");
        assertThat(report.path("checks").size()).as(report.toString()).isGreaterThanOrEqualTo(5);
        assertThat(report.toString()).contains("SQLITE_READONLY");
        assertThat(ReplicaTestResource.BIG).isPositive(); // same fixture as the other tests
    }
}
