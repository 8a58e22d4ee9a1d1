package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LtxHeaderTest {

    /** Spec 1.9: page size 512, commit 2, TXID 2..2, timestamp 1700000000000, flags 0x2. */
    static final String SPEC_HEADER_HEX = "4c545831 00000002 00000200 00000002 0000000000000002 0000000000000002"
            + " 0000018bcfe56800 0000000000000000" + " 00".repeat(100 - 48);

    @Test
    void encodesTheSpecVectorHeader() {
        byte[] b = LtxHeader.of(512, 2, 2, 2, 1_700_000_000_000L).encode();
        assertThat(b).hasSize(LtxHeader.SIZE).isEqualTo(LtxTestFiles.hex(SPEC_HEADER_HEX));
    }

    @Test
    void decodesEveryField() throws Exception {
        LtxHeader h = new LtxHeader(0, 4096, 53, 7, 9, 1_795_482_185_240L, 0x8000_0000_0000_0001L,
                4096, 8192, 0x11223344, 0x55667788, 42);
        byte[] b = new byte[LtxHeader.SIZE + 3];
        h.encodeTo(b, 3);
        assertThat(LtxHeader.decode(b, 3, "x")).isEqualTo(h);
    }

    @Test
    void reservedBytesAreIgnored() throws Exception {
        byte[] b = LtxHeader.of(4096, 1, 1, 1, 0).encode();
        b[99] = 7;
        assertThat(LtxHeader.decode(b, 0, "x").pageSize()).isEqualTo(4096);
    }

    @Test
    void lockPageHoldsByte2Pow30() {
        assertThat(LtxHeader.lockPage(4096)).isEqualTo(262145);
        assertThat(LtxHeader.lockPage(512)).isEqualTo(2097153);
        assertThat(LtxHeader.lockPage(65536)).isEqualTo(16385);
    }

    @Test
    void snapshotMeansMinTxidOne() {
        assertThat(LtxHeader.of(4096, 1, 1, 5, 0).isSnapshot()).isTrue();
        assertThat(LtxHeader.of(4096, 1, 2, 5, 0).isSnapshot()).isFalse();
    }

    static Stream<Arguments> invalidHeaders() {
        return Stream.of(
                bad("wrong magic", b -> b[0] = 'X', "magic"),
                bad("unknown flag", b -> Bytes.put32(b, 4, 0x3), "flags"),
                bad("page size not a power of two", b -> Bytes.put32(b, 8, 3000), "page size"),
                bad("page size too small", b -> Bytes.put32(b, 8, 256), "page size"),
                bad("page size too large", b -> Bytes.put32(b, 8, 131072), "page size"),
                bad("min TXID zero", b -> Bytes.put64(b, 16, 0), "TXID"),
                bad("min above max", b -> Bytes.put64(b, 16, 9), "out of order"),
                bad("commit beyond 2^31-1", b -> Bytes.put32(b, 12, 0x80000000), "commit"),
                bad("negative WAL offset", b -> Bytes.put64(b, 48, -1), "WAL"),
                bad("WAL size without offset", b -> Bytes.put64(b, 56, 10), "WAL"),
                bad("salt without offset", b -> Bytes.put32(b, 64, 1), "WAL"),
                bad("pre-apply checksum under NoChecksum", b -> Bytes.put64(b, 40, Crc64Iso.CHECKSUM_FLAG | 1), "pre-apply"),
                bad("checksummed file without pre-apply", b -> Bytes.put32(b, 4, 0), "pre-apply"),
                bad("pre-apply lacking bit 63", b -> { Bytes.put32(b, 4, 0); Bytes.put64(b, 40, 5); }, "pre-apply"));
    }

    private static Arguments bad(String name, Consumer<byte[]> mutate, String message) {
        return Arguments.of(name, mutate, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidHeaders")
    void rejectsInvalidHeaders(String name, Consumer<byte[]> mutate, String message) {
        byte[] b = LtxHeader.of(4096, 10, 5, 8, 1).encode();
        mutate.accept(b);
        assertThatThrownBy(() -> LtxHeader.decode(b, 0, "s3://bucket/db/0000/x.ltx"))
                .isInstanceOf(LtxFormatException.class)
                .hasMessageStartingWith("s3://bucket/db/0000/x.ltx: ")
                .hasMessageContaining(message);
    }

    @Test
    void rejectsShortBuffer() {
        assertThatThrownBy(() -> LtxHeader.decode(new byte[99], 0, "short.ltx"))
                .isInstanceOf(LtxFormatException.class).hasMessageContaining("short.ltx");
    }
}
