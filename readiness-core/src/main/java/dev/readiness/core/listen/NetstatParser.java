package dev.readiness.core.listen;

/**
 * Reads the listen counters from the text of {@code /proc/net/netstat}.
 * <p>
 * The file is pairs of lines, a header naming the fields and a line of values, both starting with the same
 * prefix ({@code TcpExt:}). Kernels add, remove and reorder fields (3.10 has {@code PAWSPassive} and
 * {@code TCPPrequeued}, 6.x has {@code PAWSOldAck}...), so fields are found by name, never by position.
 * <p>
 * Never throws: a file of another shape yields {@link TcpExtCounters#NONE} or the counters it could read,
 * and a value that is not a non-negative decimal fitting a {@code long} is {@link TcpExtCounters#UNKNOWN}.
 */
final class NetstatParser {

    private static final String PREFIX = "TcpExt:";

    private NetstatParser() {
    }

    static TcpExtCounters parse(CharSequence text) {
        if (text == null) {
            return TcpExtCounters.NONE;
        }
        int n = text.length();
        int pos = 0;
        String header = null;
        while (pos < n) {
            int end = lineEnd(text, pos);
            if (startsWith(text, pos, end, PREFIX)) {
                if (header == null) {
                    header = text.subSequence(pos + PREFIX.length(), end).toString();
                } else {
                    return counters(header, text.subSequence(pos + PREFIX.length(), end).toString());
                }
            } else if (header != null) {
                // a header without its values line right after it: not the shape we know
                return TcpExtCounters.NONE;
            }
            pos = end + 1;
        }
        return TcpExtCounters.NONE;
    }

    private static TcpExtCounters counters(String header, String values) {
        String[] names = header.trim().split("\\s+");
        String[] numbers = values.trim().split("\\s+");
        if (names.length != numbers.length) {
            return TcpExtCounters.NONE;
        }
        long overflows = TcpExtCounters.UNKNOWN;
        long drops = TcpExtCounters.UNKNOWN;
        long sent = TcpExtCounters.UNKNOWN;
        long recv = TcpExtCounters.UNKNOWN;
        long failed = TcpExtCounters.UNKNOWN;
        for (int i = 0; i < names.length; i++) {
            switch (names[i]) {
                case "ListenOverflows" -> overflows = decimal(numbers[i]);
                case "ListenDrops" -> drops = decimal(numbers[i]);
                case "SyncookiesSent" -> sent = decimal(numbers[i]);
                case "SyncookiesRecv" -> recv = decimal(numbers[i]);
                case "SyncookiesFailed" -> failed = decimal(numbers[i]);
                default -> {
                }
            }
        }
        return new TcpExtCounters(overflows, drops, sent, recv, failed);
    }

    /** A non-negative decimal that fits a long, or UNKNOWN. */
    static long decimal(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > 19) {
            return TcpExtCounters.UNKNOWN;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return TcpExtCounters.UNKNOWN;
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                return TcpExtCounters.UNKNOWN;
            }
        }
        return v;
    }

    private static int lineEnd(CharSequence text, int from) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            if (text.charAt(i) == '\n') {
                return i;
            }
        }
        return n;
    }

    private static boolean startsWith(CharSequence text, int from, int end, String prefix) {
        if (end - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
