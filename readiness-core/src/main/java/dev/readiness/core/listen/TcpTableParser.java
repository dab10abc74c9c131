package dev.readiness.core.listen;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * Finds the LISTEN rows of {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 * <p>
 * Works on the raw bytes because the file has a line per socket, and a busy service has thousands: only the
 * state column of each line is read unless the socket is listening. Columns are located through the header
 * line rather than assumed, and the header's {@code tx_queue rx_queue} and {@code tr tm->when} pairs each
 * name one value column ({@code 00000000:00000003}).
 * <p>
 * Never throws. A header without the columns it needs makes the whole table unreadable
 * ({@link #UNREADABLE}); a row that cannot be read is skipped and counted.
 */
final class TcpTableParser {

    /** Returned when the header does not name the columns the probe needs. */
    static final int UNREADABLE = -1;

    private static final int LISTEN = 0x0A;
    private static final int SYN_RECV = 0x03;
    private static final int MAX_HEADER = 4096;

    /** {@link #listenSectionEnd} found no header it knows: the caller should read the whole file. */
    static final int NOT_A_TABLE = Integer.MIN_VALUE;

    private TcpTableParser() {
    }

    /**
     * Parses {@code len} bytes of {@code data}, giving each readable LISTEN row to {@code sink}.
     *
     * @return the number of rows skipped because they could not be read, or {@link #UNREADABLE}
     */
    static int parse(byte[] data, int len, boolean ipv6, Consumer<ListenSocket> sink) {
        if (data == null || len <= 0 || len > data.length) {
            return UNREADABLE;
        }
        int headerEnd = lineEnd(data, 0, len);
        Columns cols = Columns.of(data, 0, headerEnd);
        if (cols == null) {
            return UNREADABLE;
        }
        int[] starts = new int[cols.needed];
        int[] ends = new int[cols.needed];
        int malformed = 0;
        int pos = headerEnd + 1;
        while (pos < len) {
            int end = lineEnd(data, pos, len);
            if (!blank(data, pos, end)) {
                int found = tokens(data, pos, end, starts, ends, cols.state + 1);
                if (found <= cols.state) {
                    malformed++;
                } else {
                    int state = hex(data, starts[cols.state], ends[cols.state], 2);
                    if (state < 0) {
                        malformed++;
                    } else if (state == LISTEN) {
                        ListenSocket socket = listenRow(data, pos, end, starts, ends, cols, ipv6);
                        if (socket == null) {
                            malformed++;
                        } else {
                            sink.accept(socket);
                        }
                    }
                }
            }
            pos = end + 1;
        }
        return malformed;
    }

    /**
     * Finds where the leading LISTEN section of a table ends, so that a reader can stop before the kernel walks
     * its established hash. Kernels print every listener first (3.10 interleaves each listener's SYN_RECV
     * requests, state 03, which are skipped over); the first complete row in another state ends the section.
     *
     * @param from where to go on scanning: 0 at first, then the value a previous call encoded
     * @return the offset where the section ends (the start of the first row after it),
     *         {@code -(resumeFrom) - 1} when the complete lines so far do not end it, or {@link #NOT_A_TABLE}
     */
    static int listenSectionEnd(byte[] data, int len, int from) {
        if (data == null || len <= 0 || len > data.length || from < 0) {
            return NOT_A_TABLE;
        }
        int headerEnd = lineEnd(data, 0, len);
        if (headerEnd >= len) {
            return len > MAX_HEADER ? NOT_A_TABLE : -1;
        }
        Columns cols = Columns.of(data, 0, headerEnd);
        if (cols == null) {
            return NOT_A_TABLE;
        }
        int[] starts = new int[cols.state + 1];
        int[] ends = new int[cols.state + 1];
        int pos = Math.max(from, headerEnd + 1);
        while (pos < len) {
            int end = lineEnd(data, pos, len);
            if (end >= len) {
                break; // incomplete line: wait for more
            }
            if (!blank(data, pos, end) && tokens(data, pos, end, starts, ends, cols.state + 1) > cols.state) {
                int state = hex(data, starts[cols.state], ends[cols.state], 2);
                if (state != LISTEN && state != SYN_RECV) {
                    return pos;
                }
            }
            pos = end + 1;
        }
        return -pos - 1;
    }

    private static ListenSocket listenRow(byte[] d, int from, int to, int[] starts, int[] ends, Columns cols,
                                          boolean ipv6) {
        if (tokens(d, from, to, starts, ends, cols.needed) < cols.needed) {
            return null;
        }
        int as = starts[cols.local];
        int ae = ends[cols.local];
        int colon = indexOf(d, as, ae, (byte) ':');
        if (colon < 0) {
            return null;
        }
        int port = hex(d, colon + 1, ae, 4);
        byte[] address = address(d, as, colon);
        int queue;
        if (cols.rxSeparate) {
            queue = hex(d, starts[cols.rx], ends[cols.rx], 8);
        } else {
            int rs = indexOf(d, starts[cols.rx], ends[cols.rx], (byte) ':');
            queue = rs < 0 ? -1 : hex(d, rs + 1, ends[cols.rx], 8);
        }
        long inode = decimal(d, starts[cols.inode], ends[cols.inode]);
        if (port < 0 || address == null || queue < 0 || inode < 0) {
            return null;
        }
        String text;
        try {
            text = InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
        return new ListenSocket(text, port, queue, inode, ipv6);
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    /** The kernel prints addresses as 32-bit words in host byte order. */
    private static byte[] address(byte[] d, int from, int to) {
        int n = to - from;
        if (n != 8 && n != 32) {
            return null;
        }
        byte[] out = new byte[n / 2];
        for (int word = 0; word < n / 8; word++) {
            for (int b = 0; b < 4; b++) {
                int at = from + word * 8 + (LITTLE_ENDIAN ? 3 - b : b) * 2;
                int v = hex(d, at, at + 2, 2);
                if (v < 0) {
                    return null;
                }
                out[word * 4 + b] = (byte) v;
            }
        }
        return out;
    }

    /** Up to {@code max} tokens of the line; returns how many were found. */
    private static int tokens(byte[] d, int from, int to, int[] starts, int[] ends, int max) {
        int count = 0;
        int i = from;
        while (i < to && count < max) {
            while (i < to && space(d[i])) {
                i++;
            }
            if (i >= to) {
                break;
            }
            starts[count] = i;
            while (i < to && !space(d[i])) {
                i++;
            }
            ends[count++] = i;
        }
        return count;
    }

    /** Hexadecimal of 1..maxDigits digits, or -1. */
    static int hex(byte[] d, int from, int to, int maxDigits) {
        int n = to - from;
        if (n <= 0 || n > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit((char) (d[i] & 0xff), 16);
            if (digit < 0) {
                return -1;
            }
            v = v << 4 | digit;
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static long decimal(byte[] d, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = d[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                return -1;
            }
        }
        return v;
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] d, int from, int len) {
        for (int i = from; i < len; i++) {
            if (d[i] == '\n') {
                return i;
            }
        }
        return len;
    }

    private static boolean blank(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!space(d[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    /** Value-column indexes of the fields the probe reads, derived from the header. */
    private record Columns(int local, int state, int rx, boolean rxSeparate, int inode, int needed) {

        static Columns of(byte[] d, int from, int to) {
            String[] names = new String(d, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .trim().split("\\s+");
            int col = 0;
            int local = -1;
            int state = -1;
            int rx = -1;
            boolean rxSeparate = false;
            int inode = -1;
            for (int i = 0; i < names.length; i++) {
                String name = names[i];
                boolean pairNext = i + 1 < names.length;
                switch (name) {
                    case "local_address" -> local = col;
                    case "st" -> state = col;
                    case "inode" -> inode = col;
                    case "tx_queue" -> {
                        if (pairNext && names[i + 1].equals("rx_queue")) {
                            rx = col;
                            i++;
                        }
                    }
                    case "rx_queue" -> {
                        rx = col;
                        rxSeparate = true;
                    }
                    case "tr" -> {
                        if (pairNext && names[i + 1].equals("tm->when")) {
                            i++;
                        }
                    }
                    default -> {
                    }
                }
                col++;
            }
            if (local < 0 || state < 0 || rx < 0 || inode < 0) {
                return null;
            }
            int needed = Math.max(Math.max(local, state), Math.max(rx, inode)) + 1;
            return new Columns(local, state, rx, rxSeparate, inode, needed);
        }
    }
}
