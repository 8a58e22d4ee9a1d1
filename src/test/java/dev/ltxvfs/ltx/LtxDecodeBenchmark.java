package dev.ltxvfs.ltx;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode speed of a 64 MiB snapshot (16384 pages of 4 KiB holding SQLite-like text rows, which
 * LZ4 shrinks to roughly half). Not a test: run with {@code src/test/scripts/bench-codec.sh}.
 *
 * <p><b>Every score is pages per second</b> ({@code @OperationsPerInvocation(PAGES)}: one
 * operation = one 4 KiB page). Decompressed MB/s = score × 4096 / 10^6.
 * <ul>
 *   <li>{@code wholeFile}: {@link LtxDecoder} over the whole file, file checksum verified.</li>
 *   <li>{@code randomAccess}: every frame decoded alone via {@link LtxFrames#decodePage}, in a
 *       random order, at the offsets the tail index gives (what a VFS read does after its GET).</li>
 *   <li>{@code tailIndex}: {@link LtxTail#decodeIndex} of the whole index (per index entry).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LtxDecodeBenchmark {

    static final int PAGE_SIZE = 4096;
    static final int PAGES = 64 * 1024 * 1024 / PAGE_SIZE;

    byte[] file;
    LtxPageIndex index;
    int[] order;
    byte[] page = new byte[PAGE_SIZE];

    @Setup
    public void setup() throws IOException {
        file = LtxTestFiles.snapshot(PAGE_SIZE, PAGES, 1000, 7);
        index = LtxTail.decodeIndex(file, "bench");
        order = new int[index.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rnd = new Random(1);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        System.out.printf("%n[setup] snapshot: %d pages, %d bytes compressed (%.0f%% of %d)%n",
                index.size(), file.length, 100.0 * file.length / ((long) PAGES * PAGE_SIZE), (long) PAGES * PAGE_SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long wholeFile() throws IOException {
        LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(file), "bench");
        long sum = 0;
        for (int pgno; (pgno = dec.readPage(page)) != 0; ) {
            sum += page[pgno & (PAGE_SIZE - 1)];
        }
        return sum + dec.trailer().fileChecksum();
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void randomAccess(Blackhole bh) throws IOException {
        for (int i : order) {
            LtxFrames.decodePage(file, (int) index.offset(i), index.frameSize(i), index.pgno(i), PAGE_SIZE, page, 0, "bench");
            bh.consume(page[i & (PAGE_SIZE - 1)]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public LtxPageIndex tailIndex() throws IOException {
        return LtxTail.decodeIndex(file, "bench");
    }
}
