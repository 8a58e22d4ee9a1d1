package dev.ltxvfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Finds the project root and runs its test scripts ({@code src/test/scripts/*.sh}). */
final class ProjectScripts {
    private ProjectScripts() {}

    /** The project root: {@code -Dltxvfs.root}, else the working directory or the nearest parent with the scripts. */
    static Path root() {
        String prop = System.getProperty("ltxvfs.root");
        if (prop != null) return Path.of(prop).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("src/test/scripts/s3proxy.sh"))) return p;
        }
        throw new IllegalStateException("cannot find the project root (a folder with src/test/scripts/s3proxy.sh) from "
                + Path.of("").toAbsolutePath() + "; set -Dltxvfs.root");
    }

    static Path script(String name) {
        return root().resolve("src/test/scripts").resolve(name);
    }

    /** Runs {@code script args} and returns its stdout, trimmed; a failure carries its stderr. */
    static String run(Map<String, String> env, long timeoutSeconds, String script, String... args) {
        try {
            Path out = Files.createTempFile("ltxvfs-script", ".out");
            Path err = Files.createTempFile("ltxvfs-script", ".err");
            try {
                String[] cmd = new String[args.length + 1];
                cmd[0] = script(script).toString();
                System.arraycopy(args, 0, cmd, 1, args.length);
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(root().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        // Files, not pipes: a server the script leaves running must not hold our pipe open.
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(script + " " + String.join(" ", args) + " took over " + timeoutSeconds + " s");
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(script + " " + String.join(" ", args) + " failed (exit " + p.exitValue()
                            + "): " + Files.readString(err, StandardCharsets.UTF_8).trim());
                }
                return stdout;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }
}
