package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LtxFileNameTest {

    @Test
    void formatsLowercaseZeroPaddedHex() {
        assertThat(LtxFileName.format(1, 0x3e8)).isEqualTo("0000000000000001-00000000000003e8.ltx");
        assertThat(LtxFileName.format(-1, -1)).isEqualTo("ffffffffffffffff-ffffffffffffffff.ltx");
    }

    @Test
    void parsesWhatItFormats() {
        assertThat(LtxFileName.parse("0000000000000005-00000000000000ab.ltx")).isEqualTo(new LtxFileName(5, 0xab));
        assertThat(LtxFileName.parse("ffffffffffffffff-ffffffffffffffff.ltx")).isEqualTo(new LtxFileName(-1, -1));
        assertThat(new LtxFileName(7, 9)).hasToString("0000000000000007-0000000000000009.ltx");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "0000000000000005-0000000000000005.LTX", "0000000000000005-000000000000000A.ltx",
        "000000000000005-0000000000000005.ltx", "0000000000000005_0000000000000005.ltx",
        "0000000000000005-0000000000000005.ltx.tmp", "x000000000000005-0000000000000005.ltx",
        "+000000000000005-0000000000000005.ltx", "pending-pending.ltx"})
    void returnsNullForOtherNames(String name) {
        assertThat(LtxFileName.parse(name)).isNull();
    }
}
