package dev.ltxvfs.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged JDBC driver jar, alone on the class path of a fresh JVM: DriverManager finds it by
 * URL, it opens a local and an S3Proxy replica, reads the newest state and a point in time set
 * through the {@code litestream_time} property, refuses a write, and hydrates a database when the
 * {@code litestream_hydrate} property asks (the jar carries no Quarkus logging: nothing on that path may need it).
 */
class JdbcDriverJarIT {
    @TempDir
    Path dir;

    static Path driverJar() throws Exception {
        try (Stream<Path> jars = Files.list(Artifact.target())) {
            return jars.filter(p -> p.getFileName().toString().matches("ltxvfs-jdbc-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/ltxvfs-jdbc-*.jar: run ./mvnw package"));
        }
    }

    @Test
    void theDriverJarAloneOpensReplicasByUrl() throws Exception {
        Path replica = TestReplica.write(dir);
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("jdbc");
        ReplicaUpload.upload(replica, s3.client(), bucket, "items");
        String at = TestReplica.commitTime(1).plusSeconds(30).toString();

        Path probe = dir.resolve("Probe.java");
        try (var in = JdbcDriverJarIT.class.getResourceAsStream("/jdbc/Probe.java")) {
            Files.copy(in, probe);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Daws.accessKeyId=" + s3.accessKey(),
                "-Daws.secretAccessKey=" + s3.secretKey(), "-cp", driverJar().toString(), probe.toString(), at,
                "jdbc:litestream:" + ReplicaUrl.file(replica), "jdbc:litestream:" + s3.replicaUrl(bucket, "items")));
        Path out = dir.resolve("probe.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the probe finishes").isTrue();
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        int live = TestReplica.rowsAfter(TestReplica.COMMITS - 1);
        int past = TestReplica.rowsAfter(1);
        for (String kind : List.of("file", "s3")) {
            assertThat(output).as(output).contains(kind + " driver dev.ltxvfs.jdbc.LitestreamDriver")
                    .contains(kind + " live " + live)
                    .contains(kind + " at " + past)
                    .contains(kind + " hydrated 100.0")
                    .containsPattern(kind + " write refused .*readonly");
        }
    }
}
