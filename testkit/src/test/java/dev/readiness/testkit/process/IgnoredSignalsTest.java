package dev.readiness.testkit.process;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoredSignalsTest {

    @Test
    void theSigIgnMaskIsReadBitByBit() {
        // bit 1 is SIGINT (2), bit 0 SIGHUP (1), bit 12 SIGPIPE (13)
        assertThat(IgnoredSignals.ignores(List.of("Name:\tjava", "SigIgn:\t0000000000000002"), 2)).isTrue();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:\t0000000000001001"), 2)).isFalse();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:\t0000000000001001"), 13)).isTrue();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:\tffffffffffffffff"), 64)).isTrue();
    }

    @Test
    void aMissingOrBrokenLineReadsAsNotIgnored() {
        assertThat(IgnoredSignals.ignores(List.of(), 2)).isFalse();
        assertThat(IgnoredSignals.ignores(List.of("SigBlk:\t0000000000000002"), 2)).isFalse();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:\tnot-hex"), 2)).isFalse();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:"), 2)).isFalse();
        assertThat(IgnoredSignals.ignores(List.of("SigIgn:\t1ffffffffffffffff"), 2)).isFalse(); // 65 bits
    }
}
