package dev.readiness.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a process a test starts later (a forked JVM, redis-server, HAProxy), each free when handed out and never
 * handed out twice by this JVM.
 *
 * <p>Asking the kernel for port 0 and closing the socket is not enough: the kernel may hand the same port out again
 * at the next call, and any outgoing connection on the machine may take it as its local port before the process that
 * was meant to listen on it starts. So the ports come from below the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}), which no connection takes by itself, and each is checked by a
 * bind on every address (the way a server on {@code 0.0.0.0} binds). Only where that range leaves no room below it
 * does this fall back to the kernel's choice, still never repeating a port.
 */
public final class FreePorts {

    /** The lowest port handed out: above the registered services most machines run. */
    static final int LOWEST = 20_000;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int ATTEMPTS = 2_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** The highest port handed out: just below the kernel's ephemeral range, read once. */
    private static final int HIGHEST = ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range")) - 1;

    private FreePorts() {
    }

    /** A port nothing listens on now, that no earlier call in this JVM returned. */
    public static int next() {
        int high = HIGHEST;
        if (high - LOWEST >= 1_000) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = random.nextInt(LOWEST, high + 1);
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = kernelChoice();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port after " + 2 * ATTEMPTS + " attempts");
    }

    /**
     * The first port of the kernel's ephemeral range as that file gives it ({@code "32768\t60999"}), or 32768, Linux's
     * default, when the file is missing or does not hold two ports in order.
     */
    static int ephemeralLow(Path rangeFile) {
        String text;
        // Read through a buffered stream, never Files.readString: a /proc/sys file reports size 0, readString then
        // reads one byte and one more read at offset 1, where the kernel's sysctl handlers answer end of file, so
        // it sees "3" of "32768 60999".
        try (java.io.BufferedReader in = Files.newBufferedReader(rangeFile)) {
            String line = in.readLine();
            if (line == null) {
                return DEFAULT_EPHEMERAL_LOW;
            }
            text = line.trim();
        } catch (IOException | RuntimeException e) { // missing (not Linux), unreadable, not text
            return DEFAULT_EPHEMERAL_LOW;
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 2 || !parts[0].matches("[0-9]{1,5}") || !parts[1].matches("[0-9]{1,5}")) {
            return DEFAULT_EPHEMERAL_LOW;
        }
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[1]);
        return low >= 1 && low <= high && high <= 65_535 ? low : DEFAULT_EPHEMERAL_LOW;
    }

    static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as servers bind: a connection of an earlier run in TIME_WAIT does not count
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChoice() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
