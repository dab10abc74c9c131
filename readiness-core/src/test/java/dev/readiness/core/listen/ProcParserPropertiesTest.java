package dev.readiness.core.listen;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the /proc/net parsers ({@link NetstatParser}, {@link TcpTableParser}), whose contract is "never
 * throws": hostile text is {@link TcpExtCounters#UNKNOWN} counters, skipped rows or {@link TcpTableParser#UNREADABLE},
 * and a generated valid file parses to the numbers it was generated from. {@link ProcParserFuzzTest} mutates the
 * recorded files; these generate the files.
 */
class ProcParserPropertiesTest {

    private static final List<String> COUNTERS = List.of("ListenOverflows", "ListenDrops", "SyncookiesSent",
            "SyncookiesRecv", "SyncookiesFailed");

    /** Tokens that are not a non-negative decimal fitting a long, and have no white space in them. */
    private static final List<String> BAD_NUMBERS = List.of("-1", "9223372036854775808", "18446744073709551615",
            "99999999999999999999999", "NaN", "1e3", "0x10", "+5", "٣", "５", "1\u00002", "12a", "1.5", "-0",
            "\uFFFD");

    // ---------------------------------------------------------------- /proc/net/netstat

    @Test
    void netstatNeverThrowsAndEveryCounterIsUnknownOrNonNegative() {
        Fuzz.forAll(2000, netstatish(), text -> {
            TcpExtCounters c = NetstatParser.parse(text);
            for (long v : values(c)) {
                assertThat(v).isGreaterThanOrEqualTo(TcpExtCounters.UNKNOWN);
            }
        });
    }

    private static Gen<String> netstatish() {
        Gen<String> any = Gen.strings().all().ofMaxLength(300);
        Gen<String> alphabet = Gen.strings()
                .withChars("TcpExt: ListenOverflowsDrops Syncookies0123456789\n\r\t-\u0000").ofMaxLength(300);
        Gen<String> mangled = validNetstat().flatMap(v -> mangleOne(v.text));
        return Gen.oneOf(any, alphabet, mangled, validNetstat().map(v -> v.text));
    }

    @Test
    void aGeneratedNetstatParsesToTheGeneratedCounters() {
        Fuzz.forAll(1000, validNetstat(), n -> {
            TcpExtCounters c = NetstatParser.parse(n.text);
            assertThat(values(c)).as(n.text).containsExactly(COUNTERS.stream()
                    .mapToLong(k -> n.counters.getOrDefault(k, TcpExtCounters.UNKNOWN)).toArray());
        });
    }

    private record MangledNetstat(Netstat netstat, String bad) {
    }

    /** One counter's value replaced by a token that is not a counter: that counter is unknown, the others read. */
    @Test
    void aMangledCounterIsUnknownAndTheOthersStillRead() {
        Fuzz.forAll(1000, Gen.combine(validNetstat(), badNumber(), MangledNetstat::new), x -> {
            Netstat n = x.netstat();
            String bad = x.bad();
            List<String> present = COUNTERS.stream().filter(n.counters::containsKey).toList();
            if (present.isEmpty()) {
                return;
            }
            String victim = present.get(Math.floorMod(bad.hashCode(), present.size()));
            Netstat m = n.with(victim, bad);
            TcpExtCounters c = NetstatParser.parse(m.text);
            long[] expected = COUNTERS.stream().mapToLong(k -> k.equals(victim) ? TcpExtCounters.UNKNOWN
                    : n.counters.getOrDefault(k, TcpExtCounters.UNKNOWN)).toArray();
            assertThat(values(c)).as(m.text).containsExactly(expected);
        });
    }

    private static Gen<String> badNumber() {
        return Gen.oneOf(Gen.of(BAD_NUMBERS),
                Gen.strings().withChars("0123456789").ofMinLength(20).ofMaxLength(400),
                Gen.strings().all().ofMinLength(1).ofMaxLength(10)
                        .filter(s -> s.chars().noneMatch(ch -> Character.isWhitespace(ch) || ch <= ' '))
                        .filter(s -> !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')));
    }

    /** A TcpExt header and values pair among other sections, with the five counters each present or not. */
    record Netstat(List<String> names, List<String> values, Map<String, Long> counters, String sep, String eol,
                   String before, String after, String text) {

        static Netstat of(List<String> names, List<String> values, String sep, String eol, String before,
                          String after) {
            Map<String, Long> counters = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (COUNTERS.contains(names.get(i))) {
                    counters.put(names.get(i), Long.parseLong(values.get(i)));
                }
            }
            String text = before + "TcpExt:" + sep + String.join(sep, names) + eol + "TcpExt:" + sep
                    + String.join(sep, values) + eol + after;
            return new Netstat(names, values, counters, sep, eol, before, after, text);
        }

        Netstat with(String name, String value) {
            List<String> v = new ArrayList<>(values);
            v.set(names.indexOf(name), value);
            String text = before + "TcpExt:" + sep + String.join(sep, names) + eol + "TcpExt:" + sep
                    + String.join(sep, v) + eol + after;
            return new Netstat(names, v, counters, sep, eol, before, after, text);
        }
    }

    private static Gen<Netstat> validNetstat() {
        Gen<List<String>> others = Gen.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)
                .filter(s -> !COUNTERS.contains(s)).list().ofMaxSize(30).uniqueElements();
        Gen<List<String>> names = Gen.combine(others, Gen.subsetOf(COUNTERS.toArray(String[]::new)),
                (o, c) -> {
                    List<String> all = new ArrayList<>(o);
                    all.addAll(c);
                    java.util.Collections.shuffle(all, new java.util.Random(o.hashCode() * 31L + c.hashCode()));
                    return all;
                });
        return names.flatMap(ProcParserPropertiesTest::netstatOf);
    }

    /** A netstat of these TcpExt names: their values, separator, line ends and the sections around drawn. */
    private static Gen<Netstat> netstatOf(List<String> ns) {
        Gen<String> number = Gen.oneOf(Gen.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
                Gen.of("0", "9223372036854775807", "0000000000000000007"));
        Gen<List<String>> values = number.list().ofSize(ns.size());
        Gen<String> sep = Gen.of(" ", "  ", "\t", " \t");
        Gen<String> eol = Gen.of("\n", "\r\n");
        Gen<String> before = Gen.of("", "IpExt: InNoRoutes InOctets\nIpExt: 0 123\n", "Other: a\nOther: 1\n");
        Gen<String> after = Gen.of("", "IpExt: InNoRoutes\nIpExt: 5\n", "MPTcpExt: MPCapableSYNRX\nMPTcpExt: 0");
        return r -> Netstat.of(ns, values.next(r), sep.next(r), eol.next(r), before.next(r), after.next(r));
    }

    private static Gen<String> mangleOne(String text) {
        return Gen.of(BAD_NUMBERS).flatMap(bad -> Gen.integers().between(0, Math.max(0, text.length()))
                .map(at -> {
                    int end = at;
                    while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                        end++;
                    }
                    return text.substring(0, at) + bad + text.substring(end);
                }));
    }

    private static long[] values(TcpExtCounters c) {
        return new long[]{c.listenOverflows(), c.listenDrops(), c.syncookiesSent(), c.syncookiesRecv(),
                c.syncookiesFailed()};
    }

    // ---------------------------------------------------------------- /proc/net/tcp and tcp6

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode";
    private static final String HEADER_3_10 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when"
            + " retrnsmt   uid  timeout inode";

    /** One socket row as the kernel prints it. */
    record Row(byte[] address, int port, int state, int txQueue, int rxQueue, long inode) {

        String line(int sl) {
            return String.format("%4d: %s:%04X %s:0000 %02X %08X:%08X 00:00000000 00000000  1000        0 %d 1"
                            + " 0000000000000000 100 0 0 10 0", sl, hexAddress(address), port, hexAddress(new byte[address.length]),
                    state, txQueue, rxQueue, inode);
        }

        ListenSocket socket(boolean ipv6) throws Exception {
            return new ListenSocket(InetAddress.getByAddress(address).getHostAddress(), port, rxQueue, inode, ipv6);
        }
    }

    /** The kernel's %08X of each 32-bit word, in host byte order. */
    static String hexAddress(byte[] a) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < a.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                int at = w * 4 + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 3 - i : i);
                b.append(String.format("%02X", a[at] & 0xff));
            }
        }
        return b.toString();
    }

    record Table(boolean ipv6, List<Row> rows, String eol) {
        byte[] bytes() {
            StringBuilder b = new StringBuilder(HEADER).append(eol);
            for (int i = 0; i < rows.size(); i++) {
                b.append(rows.get(i).line(i)).append(eol);
            }
            return b.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        List<ListenSocket> listeners() throws Exception {
            List<ListenSocket> out = new ArrayList<>();
            for (Row r : rows) {
                if (r.state == 0x0A) {
                    out.add(r.socket(ipv6));
                }
            }
            return out;
        }
    }

    private static Gen<Table> tables() {
        return Gen.of(false, true).flatMap(ProcParserPropertiesTest::tables);
    }

    private static Gen<Table> tables(boolean ipv6) {
        return Gen.combine(row(ipv6).list().ofMaxSize(40), Gen.of("\n", "\r\n"),
                (rows, eol) -> new Table(ipv6, rows, eol));
    }

    private static Gen<Row> row(boolean ipv6) {
        Gen<byte[]> address = Gen.bytes().ofSize(ipv6 ? 16 : 4);
        Gen<Integer> port = Gen.integers().between(0, 65535);
        Gen<Integer> state = Gen.frequencyOf(Gen.weight(3, Gen.just(0x0A)),
                Gen.weight(1, Gen.integers().between(1, 0x0C)));
        Gen<Integer> queue = Gen.integers().between(0, Integer.MAX_VALUE);
        Gen<Long> inode = Gen.longs().between(0, Long.MAX_VALUE);
        return r -> new Row(address.next(r), port.next(r), state.next(r), queue.next(r), queue.next(r), inode.next(r));
    }

    @Test
    void aGeneratedTableYieldsExactlyItsListeners() {
        Fuzz.forAll(1000, tables(), t -> {
            byte[] data = t.bytes();
            List<ListenSocket> out = new ArrayList<>();
            int skipped = TcpTableParser.parse(data, data.length, t.ipv6, out::add);
            assertThat(skipped).isZero();
            assertThat(out).containsExactlyElementsOf(t.listeners());
        });
    }

    private record MangledTable(Table table, Mangle mangle) {
    }

    /** One field of one LISTEN row mangled: that row is skipped and counted, every other listener still read. */
    @Test
    void aMangledListenRowIsSkippedAndCountedAndTheOthersStillRead() {
        Fuzz.forAll(1000, Gen.combine(tables(), rowMangle(), MangledTable::new),
                x -> aMangledListenRowIsSkippedAndCounted(x.table(), x.mangle()));
    }

    private static void aMangledListenRowIsSkippedAndCounted(Table t, Mangle mangle) throws Exception {
        List<Integer> listening = new ArrayList<>();
        for (int i = 0; i < t.rows.size(); i++) {
            if (t.rows.get(i).state == 0x0A) {
                listening.add(i);
            }
        }
        if (listening.isEmpty()) {
            return;
        }
        int victim = listening.get(Math.floorMod(mangle.hashCode(), listening.size()));
        String text = new String(t.bytes(), StandardCharsets.ISO_8859_1);
        String[] lines = text.split(t.eol, -1);
        lines[victim + 1] = mangle.apply(lines[victim + 1]);
        byte[] data = String.join(t.eol, lines).getBytes(StandardCharsets.ISO_8859_1);
        List<ListenSocket> out = new ArrayList<>();
        int skipped = TcpTableParser.parse(data, data.length, t.ipv6, out::add);
        List<ListenSocket> expected = new ArrayList<>();
        for (int i = 0; i < t.rows.size(); i++) {
            if (i != victim && t.rows.get(i).state == 0x0A) {
                expected.add(t.rows.get(i).socket(t.ipv6));
            }
        }
        assertThat(skipped).as(lines[victim + 1]).isEqualTo(1);
        assertThat(out).containsExactlyElementsOf(expected);
    }

    /** Replaces one whitespace-separated field of a row (1 local, 4 tx:rx, 9 inode) with a bad token. */
    record Mangle(int field, String token) {
        String apply(String line) {
            String[] f = line.trim().split(" +");
            f[field] = token;
            return "  " + String.join(" ", f);
        }
    }

    private static Gen<Mangle> rowMangle() {
        Gen<Mangle> local = Gen.of("0100007F", "0100007F:", ":1F90", "0100007F:1F900", "0100007F:G000",
                "0100007:1F90", "0100007FF:1F90", "0100007F1F90", "XX00007F:1F90", "0100007F:-1", "").map(s -> new Mangle(1, s.isEmpty() ? "\u0000" : s));
        Gen<Mangle> queue = Gen.of("00000000:FFFFFFFF", "00000000:100000000", "00000000",
                "00000000:", "00000000:-0000001", "00000000:0000000G").map(s -> new Mangle(4, s));
        Gen<Mangle> inode = Gen.of("9223372036854775808", "18446744073709551615", "-1", "1e3", "0x10",
                "٣", "12345678901234567890").map(s -> new Mangle(9, s));
        return Gen.oneOf(local, queue, inode);
    }

    /** Bytes for a tcp (or tcp6) table, shown as ISO-8859-1 text when the property fails. */
    private record TcpBytes(byte[] data, boolean ipv6) {
        @Override
        public String toString() {
            return (ipv6 ? "tcp6 " : "tcp ") + new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void tcpTablesOfHostileBytesNeverThrow() {
        Fuzz.forAll(1000, Gen.combine(tcpish(), Gen.of(false, true), TcpBytes::new),
                x -> tcpTableOfHostileBytesNeverThrows(x.data(), x.ipv6()));
    }

    private static void tcpTableOfHostileBytesNeverThrows(byte[] data, boolean ipv6) {
        List<ListenSocket> out = new ArrayList<>();
        int skipped = TcpTableParser.parse(data, data.length, ipv6, out::add);
        assertThat(skipped).isGreaterThanOrEqualTo(TcpTableParser.UNREADABLE);
        for (ListenSocket s : out) {
            assertThat(s.port()).isBetween(0, 65535);
            assertThat(s.queueDepth()).isNotNegative();
            assertThat(s.inode()).isNotNegative();
        }
        int end = TcpTableParser.listenSectionEnd(data, data.length, 0);
        assertThat(end == TcpTableParser.NOT_A_TABLE || end <= data.length && -end - 1 <= data.length).isTrue();
    }

    private static Gen<byte[]> tcpish() {
        Gen<byte[]> random = Gen.bytes().ofMaxSize(2000);
        Gen<byte[]> headerThenGarbage = Gen.strings()
                .withChars("0123456789ABCDEF: \t\r\n\u0000-").ofMaxLength(1500)
                .map(s -> (HEADER_3_10 + "\n" + s).getBytes(StandardCharsets.ISO_8859_1));
        Gen<byte[]> truncated = tables().flatMap(t -> {
            byte[] b = t.bytes();
            return Gen.integers().between(0, b.length).map(n -> java.util.Arrays.copyOf(b, n));
        });
        Gen<byte[]> longLine = Gen.integers().between(5_000, 200_000)
                .map(n -> (HEADER + "\n" + "A".repeat(n) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return Gen.oneOf(random, headerThenGarbage, truncated, longLine);
    }

    /**
     * Where the leading LISTEN section ends, found whole or piecewise (the reader feeds growing prefixes and resumes
     * where the previous call stopped): the start of the first row in another state than LISTEN or SYN_RECV.
     */
    private record FedTable(Table table, List<Integer> chunks) {
    }

    @Test
    void theListenSectionEndsAtTheFirstOtherRowHoweverTheBytesArrive() {
        Fuzz.forAll(1000, Gen.combine(tables(), chunks(), FedTable::new),
                x -> theListenSectionEndsAtTheFirstOtherRow(x.table(), x.chunks()));
    }

    private static void theListenSectionEndsAtTheFirstOtherRow(Table t, List<Integer> chunks) {
        byte[] data = t.bytes();
        int expected = -1;
        int offset = (HEADER + t.eol).length();
        for (Row r : t.rows) {
            if (r.state != 0x0A && r.state != 0x03) {
                expected = offset;
                break;
            }
            offset += r.line(0).length() + t.eol.length();
        }
        int whole = TcpTableParser.listenSectionEnd(data, data.length, 0);
        if (expected >= 0) {
            assertThat(whole).isEqualTo(expected);
        } else {
            assertThat(whole).isNegative().isNotEqualTo(TcpTableParser.NOT_A_TABLE);
        }
        int len = 0;
        int from = 0;
        int result = -1;
        for (int c : chunks) {
            len = Math.min(data.length, len + c);
            result = TcpTableParser.listenSectionEnd(data, len, from);
            if (result >= 0) {
                break;
            }
            from = -result - 1;
        }
        if (result >= 0) {
            assertThat(result).isEqualTo(expected);
        } else if (len == data.length && expected >= 0) {
            assertThat(result).as("all bytes fed: the section's end is found").isEqualTo(expected);
        }
    }

    private static Gen<List<Integer>> chunks() {
        return Gen.integers().between(1, 400).list().ofMinSize(1).ofMaxSize(60)
                .map(l -> {
                    List<Integer> all = new ArrayList<>(l);
                    all.add(Integer.MAX_VALUE / 2); // and finally the rest
                    return all;
                });
    }
}
