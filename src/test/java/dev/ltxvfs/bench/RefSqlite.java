package dev.ltxvfs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One long-running {@code sqlite3} process with the reference Litestream VFS loaded, driven
 * through its stdin pipe (as a fifo would), so its per-connection poller keeps running between
 * queries. stdout is unbuffered ({@code stdbuf -o0}) so each answer arrives as it is printed.
 */
final class RefSqlite implements AutoCloseable {
    private static final String END = "__ltxvfs_end__";
    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    RefSqlite(Path extension, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("stdbuf", "-o0", "sqlite3", "-batch")
                .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".stderr").toFile()));
        Map<String, String> pe = pb.environment();
        pe.keySet().removeIf(k -> k.startsWith("LITESTREAM_"));
        pe.remove("AWS_CA_BUNDLE"); // the extension's S3 client refuses to start with it
        pe.put("LITESTREAM_LOG_FILE", log.toString());
        pe.putAll(env);
        process = pb.start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        send(".load '" + extension + "'\n.open 'file:db?vfs=litestream'\n");
    }

    /** The reference extension, as the test harness fetched it. */
    static Path extension() throws IOException {
        Path so = Path.of(System.getProperty("user.home"),
                ".cache/ltxvfs/reference-vfs/node_modules/litestream-vfs-linux-amd64/litestream-vfs.so");
        if (!Files.isRegularFile(so)) {
            throw new IOException(so + " is missing: run src/test/scripts/reference-vfs.sh first");
        }
        return so;
    }

    private void send(String s) throws IOException {
        in.write(s);
        in.flush();
    }

    /** Runs {@code sql} (one or more statements) and returns what it printed. */
    synchronized List<String> run(String sql) throws IOException {
        send(sql.strip() + "\n.print " + END + "\n");
        List<String> lines = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals(END)) {
                return lines;
            }
            lines.add(line);
        }
        throw new IOException("sqlite3 exited (code " + exitCode() + ")");
    }

    private String exitCode() {
        try {
            return Integer.toString(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            send(".quit\n");
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
    }
}
