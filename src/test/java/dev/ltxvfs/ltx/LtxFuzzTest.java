package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throws thousands of damaged files at every decoding entry point. The only acceptable failure
 * is {@link LtxFormatException}: no other exception, no hang (the timeout), no huge allocation
 * (the decoders never size a buffer from the file, so an OutOfMemoryError would fail the run).
 */
class LtxFuzzTest {

    // -Dltx.fuzz.rounds=N runs a longer search; the default keeps the suite fast.
    private static final int ROUNDS = Integer.getInteger("ltx.fuzz.rounds", 20000);

    private static List<byte[]> seeds() {
        return List.of(
                LtxTestFiles.snapshot(512, 20, 3, 1),
                LtxTestFiles.encode(LtxHeader.of(4096, 30, 4, 6, 9), new int[] {1, 2, 7, 19, 30}, 2),
                new LtxTestFiles.Raw(LtxHeader.of(1024, 4, 2, 2, 0))
                        .legacy(1, LtxTestFiles.page(1024, 1, 0), Bits.CONTENT_CHECKSUM)
                        .v3(2, LtxTestFiles.page(1024, 2, 0))
                        .legacy(4, LtxTestFiles.page(1024, 4, 0), Bits.BLOCK_CHECKSUM, Bits.CONTENT_SIZE).finish(),
                LtxTestFiles.encode(LtxHeader.of(512, 0, 9, 9, 0), new int[0], 0));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void damagedFilesOnlyEverRaiseFormatExceptions() {
        Random rnd = new Random(Long.getLong("ltx.fuzz.seed", 20260115));
        List<byte[]> seeds = seeds();
        int rejected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] f = mutate(seed, seeds.get(rnd.nextInt(seeds.size())), rnd);
            if (rnd.nextInt(3) == 0) {
                LtxTestFiles.fixChecksum(f); // get past the checksum to the structural checks
            }
            rejected += attempt(round, "decoder", () -> LtxDecoder.verify(new ByteArrayInputStream(f), "fuzz"));
            rejected += attempt(round, "tail", () -> LtxTail.decodeIndex(f, "fuzz"));
            attempt(round, "frames", () -> decodeFramesOf(f, LtxTail.decodeIndex(seed, "seed")));
        }
        // Most mutations must be caught; a few (e.g. in reserved header bytes with a fixed CRC) are harmless.
        assertThat(rejected).isGreaterThan(ROUNDS);
    }

    /** Decodes each frame at the seed's index positions from the damaged bytes. */
    private static void decodeFramesOf(byte[] f, LtxPageIndex index) throws LtxFormatException {
        int pageSize = f.length >= 12 && LtxHeader.isValidPageSize(Bytes.i32(f, 8)) ? Bytes.i32(f, 8) : 4096;
        byte[] dst = new byte[pageSize];
        for (int i = 0; i < index.size(); i++) {
            int off = (int) Math.min(index.offset(i), f.length);
            int len = Math.min(index.frameSize(i), f.length - off);
            LtxFrames.decodePage(f, off, len, index.pgno(i), pageSize, dst, 0, "fuzz");
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    /** 1 if rejected with a format exception, 0 if accepted; anything else fails the test. */
    private static int attempt(int round, String what, Attempt a) {
        try {
            a.run();
            return 0;
        } catch (LtxFormatException e) {
            assertThat(e).hasMessageStartingWith("fuzz: ");
            return 1;
        } catch (Throwable t) {
            throw new AssertionError("round " + round + " (" + what + "): unexpected " + t, t);
        }
    }

    private static byte[] mutate(byte[] seed, byte[] other, Random rnd) {
        byte[] f = seed.clone();
        switch (rnd.nextInt(7)) {
            case 0 -> { // flip a few bits
                for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                    f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> f = Arrays.copyOf(f, rnd.nextInt(f.length)); // truncate
            case 2 -> { // splice a range of another file over this one
                int len = 1 + rnd.nextInt(Math.min(64, other.length));
                int from = rnd.nextInt(other.length - len + 1);
                int to = rnd.nextInt(f.length - len + 1);
                System.arraycopy(other, from, f, to, len);
            }
            case 3 -> { // insert random bytes
                int at = rnd.nextInt(f.length);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                byte[] g = new byte[f.length + ins.length];
                System.arraycopy(f, 0, g, 0, at);
                System.arraycopy(ins, 0, g, at, ins.length);
                System.arraycopy(f, at, g, at + ins.length, f.length - at);
                f = g;
            }
            case 4 -> { // delete a range
                int at = rnd.nextInt(f.length);
                int len = Math.min(f.length - at, 1 + rnd.nextInt(32));
                byte[] g = new byte[f.length - len];
                System.arraycopy(f, 0, g, 0, at);
                System.arraycopy(f, at + len, g, at, f.length - at - len);
                f = g;
            }
            case 5 -> { // extreme values in a 4- or 8-byte field
                int at = rnd.nextInt(Math.max(1, f.length - 8));
                byte v = rnd.nextBoolean() ? (byte) 0xFF : 0;
                Arrays.fill(f, at, Math.min(f.length, at + (rnd.nextBoolean() ? 4 : 8)), v);
            }
            default -> { // random bytes over the tail (index and trailer)
                int len = Math.min(f.length, 1 + rnd.nextInt(40));
                for (int i = f.length - len; i < f.length - 8; i++) {
                    if (i >= 0 && rnd.nextInt(4) == 0) {
                        f[i] = (byte) rnd.nextInt(256);
                    }
                }
            }
        }
        return f;
    }
}
