package dev.readiness.core.listen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetstatParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // kernel, overflows, drops, cookies sent, recv, failed; each kernel has the fields at other positions
            "linux-6.18, 6, 6, 0, 0, 0",
            "linux-4.19, 0, 0, 0, 0, 0",
            "linux-3.10, 1523, 1530, 12, 3, 1",
    })
    void readsListenCountersByNameWhateverTheKernelsFieldOrder(String kernel, long overflows, long drops,
                                                                long sent, long recv, long failed) {
        TcpExtCounters c = NetstatParser.parse(ProcTrees.text(kernel, "net/netstat"));

        assertThat(c).isEqualTo(new TcpExtCounters(overflows, drops, sent, recv, failed));
        assertThat(c.overflowsKnown()).isTrue();
    }

    @Test
    void listenCountersSitAtDifferentPositionsInTheRecordedKernels() {
        // guards the premise of the test above: a positional parser would read the wrong column
        assertThat(position(ProcTrees.LINUX_3_10)).isNotEqualTo(position(ProcTrees.LINUX_4_19));
        assertThat(position(ProcTrees.LINUX_4_19)).isNotEqualTo(position(ProcTrees.LINUX_6_18));
    }

    @Test
    void readsReorderedHeaders() {
        String text = "IpExt: InNoRoutes\nIpExt: 0\nTcpExt: ListenDrops Foo ListenOverflows\nTcpExt: 9 1 7\n";

        TcpExtCounters c = NetstatParser.parse(text);

        assertThat(c.listenOverflows()).isEqualTo(7);
        assertThat(c.listenDrops()).isEqualTo(9);
        assertThat(c.syncookiesSent()).isEqualTo(TcpExtCounters.UNKNOWN);
    }

    @Test
    void valuesLineWithAnotherCountOfFieldsIsUnknown() {
        assertThat(NetstatParser.parse("TcpExt: ListenOverflows ListenDrops\nTcpExt: 1\n"))
                .isEqualTo(TcpExtCounters.NONE);
    }

    @Test
    void headerWithoutValuesLineIsUnknown() {
        assertThat(NetstatParser.parse("TcpExt: ListenOverflows ListenDrops\n")).isEqualTo(TcpExtCounters.NONE);
        assertThat(NetstatParser.parse("TcpExt: ListenOverflows ListenDrops\nIpExt: 1 2\nTcpExt: 1 2\n"))
                .isEqualTo(TcpExtCounters.NONE);
    }

    @Test
    void numbersThatAreNotCountersAreUnknown() {
        TcpExtCounters c = NetstatParser.parse(
                "TcpExt: ListenOverflows ListenDrops SyncookiesSent SyncookiesRecv\n"
                        + "TcpExt: 99999999999999999999 -3 0x10 18446744073709551615\n");

        assertThat(c).isEqualTo(TcpExtCounters.NONE);
        assertThat(c.overflowsKnown()).isFalse();
    }

    @Test
    void largestLongIsRead() {
        TcpExtCounters c = NetstatParser.parse("TcpExt: ListenOverflows ListenDrops\nTcpExt: 9223372036854775807 0\n");

        assertThat(c.listenOverflows()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void emptyNullAndForeignFilesAreUnknown() {
        assertThat(NetstatParser.parse(null)).isEqualTo(TcpExtCounters.NONE);
        assertThat(NetstatParser.parse("")).isEqualTo(TcpExtCounters.NONE);
        assertThat(NetstatParser.parse("Ip: Forwarding\nIp: 1\n")).isEqualTo(TcpExtCounters.NONE);
        assertThat(NetstatParser.parse("TcpExt:\nTcpExt:\n")).isEqualTo(TcpExtCounters.NONE);
    }

    private static int position(String kernel) {
        String header = ProcTrees.text(kernel, "net/netstat").lines().findFirst().orElseThrow();
        return java.util.Arrays.asList(header.split(" ")).indexOf("ListenOverflows");
    }
}
