package dev.ltxvfs.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this process's threads by name (Linux {@code /proc/self/task}), numbered threads
 * summed under one name: the JIT's compiler threads, the GC's, the S3 client's event loop, the
 * thread that runs SQLite. For the cold child of {@link ReadPathBench}: on a 2-core machine, what
 * else a query's own reads compete with for the cores.
 */
final class ThreadCpu {
    private ThreadCpu() {}

    /** Milliseconds of CPU (user + system) per thread name so far; empty where /proc is missing. */
    static Map<String, Long> now() {
        Map<String, Long> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        long msPerTick = 1000 / 100; // USER_HZ is 100 on Linux
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path task : ds) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?[0-9]+$", "");
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the name (which may hold spaces): state is the first, utime the 12th.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * msPerTick, Long::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * The thread names that used CPU between {@code before} and {@code after}, most first, as
     * {@code name ms} pairs. Threads that ended in between are missing (their CPU is in the
     * process total only).
     */
    static String between(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> "'" + e.getKey() + "' " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
