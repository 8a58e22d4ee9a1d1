package dev.ltxvfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Litestream VFS ({@code litestream-vfs.so}, npm {@code litestream-vfs-linux-amd64@0.5.17})
 * driven through Debian's {@code sqlite3} CLI, one process per call: the extension reads its
 * {@code LITESTREAM_*} settings from the process environment at load, serves one replica per process,
 * and in write mode a connection breaks after its first sync. Every call therefore gets a fresh
 * process with exactly the environment it needs.
 */
public final class ReferenceVfs {
    private static final long TIMEOUT_SECONDS = 60;
    private static ReferenceVfs instance;

    private final Path extension;

    private ReferenceVfs(Path extension) {
        this.extension = extension;
    }

    /** The extension, fetched into the cache by {@code src/test/scripts/reference-vfs.sh} on first use. */
    public static synchronized ReferenceVfs get() {
        if (instance == null) {
            instance = new ReferenceVfs(Path.of(ProjectScripts.run(Map.of(), 300, "reference-vfs.sh")));
        }
        return instance;
    }

    public Path extension() {
        return extension;
    }

    /** What one sqlite3 process printed: result rows (list mode, columns joined by {@code |}), errors, the VFS log. */
    public record Result(int exitCode, List<String> rows, String stderr, String log) {
        public boolean ok() {
            return exitCode == 0 && stderr.isBlank();
        }
    }

    /** Runs {@code sql} read-only against {@code replicaUrl} and returns its rows; fails on any error. */
    public List<String> query(String replicaUrl, String sql) {
        return query(replicaUrl, sql, Map.of());
    }

    /** As {@link #query(String, String)}, with extra environment (AWS credentials for {@code s3://}). */
    public List<String> query(String replicaUrl, String sql, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("LITESTREAM_REPLICA_URL", replicaUrl);
        return check(run(e, sql), "query " + replicaUrl).rows();
    }

    /**
     * Commits {@code sql} to the {@code file://} replica in {@code replicaDir} as exactly one L0 file
     * (when it changes anything): the sync interval is long, so the only sync is the one at close,
     * which the process waits for before it exits.
     */
    public List<String> write(Path replicaDir, String sql) {
        Map<String, String> e = new HashMap<>();
        e.put("LITESTREAM_REPLICA_URL", "file://" + replicaDir.toAbsolutePath());
        e.put("LITESTREAM_WRITE_ENABLED", "true");
        e.put("LITESTREAM_SYNC_INTERVAL", "1h");
        return check(run(e, sql), "write to " + replicaDir).rows();
    }

    /**
     * Plain SQLite for comparisons: {@code sql} run by the same {@code sqlite3} binary that hosts the
     * extension, on an ordinary file, without the extension; returns the rows, fails on any error.
     */
    public static List<String> plain(Path dbFile, String sql) {
        try {
            Process p = new ProcessBuilder("sqlite3", "-bail", "-batch", dbFile.toAbsolutePath().toString()).start();
            try (var in = p.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("sqlite3 " + dbFile + " took over " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !err.join().isBlank()) {
                throw new IllegalStateException("sqlite3 " + dbFile + " failed (exit " + p.exitValue() + "): " + err.join().strip());
            }
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One sqlite3 process: {@code .load} the extension, {@code .open 'file:db?vfs=litestream'}, run
     * {@code sql}. {@code env} is added to this JVM's environment minus any {@code LITESTREAM_*} and
     * minus {@code AWS_CA_BUNDLE}, which makes the extension's S3 client refuse to start.
     */
    public Result run(Map<String, String> env, String sql) {
        return run(env, sql, TIMEOUT_SECONDS);
    }

    /** As {@link #run(Map, String)}, killing the process after {@code timeoutSeconds}. */
    public Result run(Map<String, String> env, String sql, long timeoutSeconds) {
        try {
            Path work = Files.createTempDirectory("ltxvfs-ref");
            Path log = work.resolve("litestream.log");
            try {
                ProcessBuilder pb = new ProcessBuilder("sqlite3", "-bail", "-batch").directory(work.toFile())
                        .redirectOutput(work.resolve("out").toFile())
                        .redirectError(work.resolve("err").toFile())
                        .redirectInput(writeFile(work.resolve("in"), script(sql)).toFile());
                Map<String, String> pe = pb.environment();
                pe.keySet().removeIf(k -> k.startsWith("LITESTREAM_"));
                pe.remove("AWS_CA_BUNDLE");
                pe.put("LITESTREAM_LOG_FILE", log.toString()); // else its log lines mix with result rows
                pe.putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new IllegalStateException("reference VFS took over " + timeoutSeconds + " s (an empty replica"
                            + " makes it wait forever); its log: " + read(log));
                }
                String out = read(work.resolve("out"));
                List<String> rows = out.isEmpty() ? List.of() : List.of(out.split("\n"));
                return new Result(p.exitValue(), rows, read(work.resolve("err")), read(log));
            } finally {
                try (var files = Files.walk(work)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String script(String sql) {
        // The database name is only a label: the extension maps every name to its one replica.
        return ".load '" + extension + "'\n.open 'file:db?vfs=litestream'\n" + sql.strip() + "\n";
    }

    private static Result check(Result r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException("reference VFS " + what + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + (r.log().isBlank() ? "" : "\nlog: " + r.log().strip()));
        }
        return r;
    }

    private static Path writeFile(Path p, String s) throws IOException {
        return Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
