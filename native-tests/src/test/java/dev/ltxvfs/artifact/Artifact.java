package dev.ltxvfs.artifact;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The artifact the build packaged (target/quarkus-artifact.properties: the JVM jar, or the native
 * executable after -Dnative), for tests that must own its process, e.g. to send it signals.
 */
final class Artifact {
    private Artifact() {}

    static Path target() {
        Path t = Path.of("target").toAbsolutePath();
        if (!Files.isDirectory(t)) {
            throw new IllegalStateException("no target/ under " + Path.of("").toAbsolutePath() + ": run from the project root");
        }
        return t;
    }

    /** The command that starts the artifact with these system properties. */
    static List<String> command(List<String> systemProperties) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(target().resolve("quarkus-artifact.properties"))) {
            p.load(r);
        }
        Path path = target().resolve(p.getProperty("path"));
        List<String> cmd = new ArrayList<>();
        switch (p.getProperty("type")) {
            case "jar" -> {
                // As users run it: native access comes from the jar's manifest (Enable-Native-Access).
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(systemProperties);
                cmd.add("-jar");
                cmd.add(path.toString());
            }
            case "native" -> {
                cmd.add(path.toString());
                cmd.addAll(systemProperties);
            }
            default -> throw new IllegalStateException("cannot start an artifact of type " + p.getProperty("type"));
        }
        return cmd;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code /q/health/ready} answers 200 (or the process ends, or a minute passes). */
    static void awaitReady(HttpClient http, int port, Process process) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the artifact exited with " + process.exitValue() + " before it was ready");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // retry
            }
            Thread.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the artifact was not ready within a minute");
    }
}
