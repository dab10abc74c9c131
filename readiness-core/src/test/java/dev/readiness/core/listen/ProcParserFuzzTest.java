package dev.readiness.core.listen;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Structured fuzzing of the /proc parsers with a fixed seed and a bounded number of inputs: the recorded files
 * of every kernel are truncated, sprinkled with garbage bytes, given huge numbers, stripped of columns, and
 * have their header fields reordered. The parsers must never throw, and what they return must stay sane.
 * (Jazzer would explore further but needs its native agent; this runs anywhere in a few seconds.)
 */
class ProcParserFuzzTest {

    private static final long SEED = 0x5EED_0F_11_57L;
    private static final int ROUNDS_PER_FILE = 1000;
    private static final String[] KERNELS = {ProcTrees.LINUX_6_18, ProcTrees.LINUX_4_19, ProcTrees.LINUX_3_10};

    @Test
    void tcpTableParserNeverThrowsOnMutatedRecordings() {
        SplittableRandom random = new SplittableRandom(SEED);
        int inputs = 0;
        int listenersSeen = 0;
        for (String kernel : KERNELS) {
            for (String file : new String[]{"net/tcp", "net/tcp6"}) {
                byte[] original = ProcTrees.bytes(kernel, file);
                for (int i = 0; i < ROUNDS_PER_FILE; i++) {
                    byte[] input = mutate(original, random);
                    List<ListenSocket> out = new ArrayList<>();
                    int len = input.length;
                    boolean ipv6 = file.endsWith("6");
                    assertThatCode(() -> TcpTableParser.parse(input, len, ipv6, out::add))
                            .as("%s %s round %d", kernel, file, i).doesNotThrowAnyException();
                    int prefix = len == 0 ? 0 : random.nextInt(len + 1);
                    int[] end = new int[1];
                    assertThatCode(() -> end[0] = TcpTableParser.listenSectionEnd(input, prefix, 0))
                            .doesNotThrowAnyException();
                    assertThat(end[0] == TcpTableParser.NOT_A_TABLE || end[0] <= prefix && -end[0] - 1 <= prefix)
                            .as("section end within the bytes read").isTrue();
                    for (ListenSocket s : out) {
                        assertThat(s.port()).isBetween(0, 65535);
                        assertThat(s.queueDepth()).isNotNegative();
                        assertThat(s.inode()).isNotNegative();
                        assertThat(s.address()).isNotBlank();
                    }
                    listenersSeen += out.size();
                    inputs++;
                }
            }
        }
        assertThat(inputs).isEqualTo(KERNELS.length * 2 * ROUNDS_PER_FILE);
        // the mutations leave many inputs readable, so the parser's success path is fuzzed too
        assertThat(listenersSeen).isGreaterThan(1000);
    }

    @Test
    void netstatParserNeverThrowsOnMutatedRecordings() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int known = 0;
        for (String kernel : KERNELS) {
            byte[] original = ProcTrees.bytes(kernel, "net/netstat");
            for (int i = 0; i < ROUNDS_PER_FILE; i++) {
                String input = new String(mutate(original, random), StandardCharsets.ISO_8859_1);
                TcpExtCounters[] result = new TcpExtCounters[1];
                assertThatCode(() -> result[0] = NetstatParser.parse(input)).doesNotThrowAnyException();
                TcpExtCounters c = result[0];
                for (long v : new long[]{c.listenOverflows(), c.listenDrops(), c.syncookiesSent(),
                        c.syncookiesRecv(), c.syncookiesFailed()}) {
                    assertThat(v).isGreaterThanOrEqualTo(TcpExtCounters.UNKNOWN);
                }
                if (c.overflowsKnown()) {
                    known++;
                }
            }
        }
        assertThat(known).isGreaterThan(100);
    }

    @Test
    void tcpTableParserNeverThrowsOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        String alphabet = "0123456789ABCDEF: \n0Aslocal_addressstrx_queueinode";
        for (int i = 0; i < 3000; i++) {
            byte[] input = new byte[random.nextInt(600)];
            for (int j = 0; j < input.length; j++) {
                // mostly the bytes /proc/net/tcp is made of, so that some inputs get past the header
                input[j] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                        : (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            int len = input.length;
            assertThatCode(() -> TcpTableParser.parse(input, len, false, s -> { })).doesNotThrowAnyException();
            assertThatCode(() -> TcpTableParser.listenSectionEnd(input, len, 0)).doesNotThrowAnyException();
            assertThatCode(() -> NetstatParser.parse(new String(input, StandardCharsets.ISO_8859_1)))
                    .doesNotThrowAnyException();
        }
    }

    /** One to three mutations of the kinds real trouble takes. */
    static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] data = original.clone();
        int count = 1 + random.nextInt(3);
        for (int m = 0; m < count; m++) {
            data = switch (random.nextInt(7)) {
                case 0 -> truncate(data, random);
                case 1 -> garbage(data, random);
                case 2 -> hugeNumber(data, random);
                case 3 -> dropColumn(data, random);
                case 4 -> reorderHeader(data, random);
                case 5 -> duplicateOrDropLines(data, random);
                default -> data;
            };
        }
        return data;
    }

    private static byte[] truncate(byte[] data, SplittableRandom random) {
        return java.util.Arrays.copyOf(data, data.length == 0 ? 0 : random.nextInt(data.length + 1));
    }

    private static byte[] garbage(byte[] data, SplittableRandom random) {
        byte[] out = data.clone();
        for (int i = 0, n = 1 + random.nextInt(8); i < n && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] hugeNumber(byte[] data, SplittableRandom random) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        String[] numbers = {"99999999999999999999999", "FFFFFFFFFFFFFFFF", "-1", "18446744073709551615",
                "9223372036854775808", "0x7f", ""};
        String huge = numbers[random.nextInt(numbers.length)];
        // replace one token with it
        List<int[]> tokens = tokens(text);
        if (tokens.isEmpty()) {
            return data;
        }
        int[] t = tokens.get(random.nextInt(tokens.size()));
        return (text.substring(0, t[0]) + huge + text.substring(t[1])).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] dropColumn(byte[] data, SplittableRandom random) {
        String[] lines = new String(data, StandardCharsets.ISO_8859_1).split("\n", -1);
        int column = random.nextInt(14);
        boolean everyLine = random.nextBoolean();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (everyLine || random.nextInt(10) == 0) {
                List<String> parts = new ArrayList<>(List.of(line.trim().split("\\s+")));
                if (column < parts.size()) {
                    parts.remove(column);
                }
                line = String.join(" ", parts);
            }
            b.append(line);
            if (i < lines.length - 1) {
                b.append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] reorderHeader(byte[] data, SplittableRandom random) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        List<String> names = new ArrayList<>(List.of(header.trim().split("\\s+")));
        // keep a "TcpExt:" prefix where there is one, so the netstat parser sees a header it knows
        String prefix = !names.isEmpty() && names.get(0).endsWith(":") && random.nextBoolean() ? names.remove(0) + " " : "";
        Collections.shuffle(names, new java.util.Random(random.nextLong()));
        return (prefix + String.join(" ", names) + (end < 0 ? "" : text.substring(end)))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] duplicateOrDropLines(byte[] data, SplittableRandom random) {
        List<String> lines = new ArrayList<>(List.of(new String(data, StandardCharsets.ISO_8859_1).split("\n", -1)));
        if (lines.isEmpty()) {
            return data;
        }
        int at = random.nextInt(lines.size());
        if (random.nextBoolean()) {
            lines.add(random.nextInt(lines.size() + 1), lines.get(at));
        } else {
            lines.remove(at);
        }
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<int[]> tokens(String text) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(new int[]{start, i});
            }
        }
        return out;
    }
}
