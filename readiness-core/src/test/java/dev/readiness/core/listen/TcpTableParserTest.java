package dev.readiness.core.listen;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TcpTableParserTest {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";

    @Test
    void findsOnlyListenRowsAmongHundredsOfSockets() {
        byte[] tcp = ProcTrees.bytes(ProcTrees.LINUX_6_18, "net/tcp");
        assertThat(new String(tcp, StandardCharsets.US_ASCII).lines().count()).isGreaterThan(300);

        List<ListenSocket> listeners = ProcTrees.listeners(tcp, false);

        assertThat(listeners).extracting(ListenSocket::address, ListenSocket::port, ListenSocket::queueDepth,
                        ListenSocket::inode)
                .containsExactly(
                        tuple("127.0.0.1", 37765, 0, 10612L),
                        tuple("127.0.0.1", 34555, 3, 10610L), // backlog 2, full: backlog + 1 waiting
                        tuple("0.0.0.0", 2024, 0, 1129L));
    }

    @Test
    void readsIpv6ListenRows() {
        List<ListenSocket> listeners = ProcTrees.listeners(ProcTrees.bytes(ProcTrees.LINUX_6_18, "net/tcp6"), true);

        assertThat(listeners).singleElement().satisfies(l -> {
            assertThat(l.address()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(l.port()).isEqualTo(56433);
            assertThat(l.queueDepth()).isEqualTo(40);
            assertThat(l.ipv6()).isTrue();
            assertThat(l.endpoint()).isEqualTo("[0:0:0:0:0:0:0:1]:56433");
        });
    }

    @Test
    void readsOlderKernelsFormat() {
        assertThat(ProcTrees.listeners(ProcTrees.bytes(ProcTrees.LINUX_3_10, "net/tcp"), false))
                .extracting(ListenSocket::endpoint, ListenSocket::queueDepth)
                .containsExactly(tuple("0.0.0.0:8080", 129), tuple("127.0.0.1:15001", 0), tuple("0.0.0.0:22", 0));
        assertThat(ProcTrees.listeners(ProcTrees.bytes(ProcTrees.LINUX_3_10, "net/tcp6"), true))
                .extracting(ListenSocket::endpoint, ListenSocket::queueDepth)
                .containsExactly(tuple("[0:0:0:0:0:0:0:0]:8443", 5));
        assertThat(ProcTrees.listeners(ProcTrees.bytes(ProcTrees.LINUX_4_19, "net/tcp6"), true)).isEmpty();
    }

    @Test
    void locatesColumnsThroughTheHeader() {
        // a kernel that printed rx_queue as a column of its own, after inode
        String text = "sl st local_address inode rx_queue\n0: 0A 0100007F:1F90 777 00000011\n";

        List<ListenSocket> listeners = ProcTrees.listeners(text.getBytes(StandardCharsets.US_ASCII), false);

        assertThat(listeners).extracting(ListenSocket::endpoint, ListenSocket::queueDepth, ListenSocket::inode)
                .containsExactly(tuple("127.0.0.1:8080", 17, 777L));
    }

    @Test
    void headerWithoutNeededColumnsIsUnreadable() {
        byte[] noInode = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(TcpTableParser.parse(noInode, noInode.length, false, s -> { })).isEqualTo(TcpTableParser.UNREADABLE);
        assertThat(TcpTableParser.parse(new byte[0], 0, false, s -> { })).isEqualTo(TcpTableParser.UNREADABLE);
        assertThat(TcpTableParser.parse(null, 10, false, s -> { })).isEqualTo(TcpTableParser.UNREADABLE);
        assertThat(TcpTableParser.parse(noInode, noInode.length + 1, false, s -> { }))
                .isEqualTo(TcpTableParser.UNREADABLE);
    }

    @Test
    void skipsAndCountsRowsThatCannotBeRead() {
        String text = HEADER
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000 0 0 11 1\n"
                + "   1: 0100007F:1F91 00000000:0000 0A 00000000:0000000G 00:00000000 00000000 0 0 12 1\n" // bad hex
                + "   2: 0100007F:1F92 00000000:0000 0A\n" // truncated
                + "   3: 0100007F:1F93 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000 0 0 13 1\n" // bad state
                + "   4: 0100007F1F94 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 14 1\n" // no colon
                + "   5: 0100007F:FFFFF 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 15 1\n" // port
                + "   6: 0100007F:1F96 00000000:0000 0A 00000000:1FFFFFFFF 00:00000000 00000000 0 0 16 1\n" // huge
                + "   7: 0100007F:1F97 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 99999999999999999999 1\n"
                + "   8: 0100007F:1F98 00000000:0000 01 00000000:00000000 00:00000000 00000000 0 0 18 1\n" // not LISTEN
                + "\n"
                + "   9: 0100007F:1F99 00000000:0000 0A 00000000:00000001 00:00000000 00000000 0 0 19 1";
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        List<ListenSocket> out = new ArrayList<>();

        int skipped = TcpTableParser.parse(data, data.length, false, out::add);

        assertThat(skipped).isEqualTo(7);
        assertThat(out).extracting(ListenSocket::port, ListenSocket::queueDepth)
                .containsExactly(tuple(8080, 2), tuple(8089, 1));
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] tcp = ProcTrees.bytes(ProcTrees.LINUX_3_10, "net/tcp");
        int firstTwoLines = new String(tcp, StandardCharsets.US_ASCII).indexOf('\n',
                new String(tcp, StandardCharsets.US_ASCII).indexOf('\n') + 1);
        List<ListenSocket> out = new ArrayList<>();

        TcpTableParser.parse(tcp, firstTwoLines, false, out::add);

        assertThat(out).extracting(ListenSocket::port).containsExactly(8080);
    }

    @Test
    void listenSectionEndsAtTheFirstRowThatIsNeitherListenNorSynRecv() {
        byte[] tcp = ProcTrees.bytes(ProcTrees.LINUX_6_18, "net/tcp");
        String text = new String(tcp, StandardCharsets.US_ASCII);
        int fourthRow = nthLineStart(text, 4); // header + 3 listeners

        assertThat(TcpTableParser.listenSectionEnd(tcp, tcp.length, 0)).isEqualTo(fourthRow);
        assertThat(text.substring(fourthRow, fourthRow + 40)).doesNotContain(" 0A ");
    }

    @Test
    void listenSectionSkipsOverSynRecvRowsOfOldKernels() {
        String text = HEADER
                + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000 0 0 11 1\n"
                + "   1: 0A00000A:1F90 0B00000A:C350 03 00000000:00000000 01:00000064 00000000 0 0 0 1\n"
                + "   2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 12 1\n"
                + "   3: 0A00000A:1F90 0B00000A:C351 01 00000000:00000000 00:00000000 00000000 0 0 13 1\n"
                + "   4: 00000000:1F92 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 14 1\n";
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);

        int end = TcpTableParser.listenSectionEnd(data, data.length, 0);

        assertThat(end).isEqualTo(nthLineStart(text, 4));
        assertThat(ProcTrees.listeners(java.util.Arrays.copyOf(data, end), false)).extracting(ListenSocket::port)
                .containsExactly(8080, 8081);
    }

    @Test
    void listenSectionAsksForMoreUntilARowEndsIt() {
        String text = HEADER
                + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000 0 0 11 1\n"
                + "   1: 0A00000A:1F90 0B00000A:C351 01 00000000:00000000 00:000";
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        int secondRow = nthLineStart(text, 2);

        assertThat(TcpTableParser.listenSectionEnd(data, HEADER.length() - 3, 0)).as("header incomplete").isEqualTo(-1);
        int resume = TcpTableParser.listenSectionEnd(data, data.length, 0);
        assertThat(resume).as("last row incomplete: resume at it").isEqualTo(-secondRow - 1);
        byte[] more = (text + "00000 00000000 0 0 13 1\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(TcpTableParser.listenSectionEnd(more, more.length, -resume - 1)).isEqualTo(secondRow);
    }

    @Test
    void listenSectionOfAnUnknownShapeAsksForTheWholeFile() {
        byte[] odd = "what is this\nnot a table\n".getBytes(StandardCharsets.US_ASCII);
        byte[] noNewline = new byte[5000];

        assertThat(TcpTableParser.listenSectionEnd(odd, odd.length, 0)).isEqualTo(TcpTableParser.NOT_A_TABLE);
        assertThat(TcpTableParser.listenSectionEnd(noNewline, noNewline.length, 0)).isEqualTo(TcpTableParser.NOT_A_TABLE);
        assertThat(TcpTableParser.listenSectionEnd(null, 1, 0)).isEqualTo(TcpTableParser.NOT_A_TABLE);
    }

    private static int nthLineStart(String text, int n) {
        int pos = 0;
        for (int i = 0; i < n; i++) {
            pos = text.indexOf('\n', pos) + 1;
        }
        return pos;
    }
}
