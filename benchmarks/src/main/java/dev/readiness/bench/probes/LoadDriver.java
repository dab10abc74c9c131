package dev.readiness.bench.probes;

import dev.readiness.bench.report.Stats;
import dev.readiness.testkit.http.NoRetryHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed-loop HTTP load driver on loopback: {@code clients} threads each send GET requests one after the
 * other for {@code duration}, each request cut off at {@code timeout} the way the kubelet cuts off a probe.
 * Bounded in time and in count; stops by itself.
 */
final class LoadDriver {

    /** Stop after this many requests per client whatever the duration, so a run is always bounded. */
    static final int MAX_REQUESTS_PER_CLIENT = 2_000_000;

    record Result(String name, int requests, int ok, int unavailable, int timeouts, int errors, double seconds,
                  long p50Nanos, long p99Nanos, long maxNanos) {

        double throughput() {
            return requests / seconds;
        }

        String row() {
            return String.format("| %-38s | %8d | %9s | %9s | %9s | %5d | %5d | %5d | %9.0f |", name, requests,
                    ms(p50Nanos), ms(p99Nanos), ms(maxNanos), ok, unavailable, timeouts, throughput());
        }

        private String ms(long nanos) {
            String v = String.format("%.3f", nanos / 1e6);
            return timeouts > 0 && nanos >= TIMEOUT_MARK ? ">=" + v : v;
        }
    }

    static final String HEADER = String.format("| %-38s | %8s | %9s | %9s | %9s | %5s | %5s | %5s | %9s |%n"
                    + "|%s|%s|%s|%s|%s|%s|%s|%s|%s|", "endpoint", "requests", "p50 ms", "p99 ms", "max ms",
            "200", "503", "t/o", "req/s", "-".repeat(40), "-".repeat(10), "-".repeat(11), "-".repeat(11),
            "-".repeat(11), "-".repeat(7), "-".repeat(7), "-".repeat(7), "-".repeat(11));

    private static volatile long TIMEOUT_MARK = Long.MAX_VALUE;

    private LoadDriver() {
    }

    static Result run(String name, URI uri, int clients, Duration duration, Duration timeout) throws Exception {
        TIMEOUT_MARK = timeout.toNanos();
        // Kept-alive connections, each request sent once: a failure is counted, never resent.
        NoRetryHttpClient client = new NoRetryHttpClient(timeout, true);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "load-" + name);
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<long[][]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                long[] counts = new long[4]; // ok, 503, timeouts, errors
                int n = 0;
                while (System.nanoTime() - end < 0 && n < MAX_REQUESTS_PER_CLIENT) {
                    long t0 = System.nanoTime();
                    long took;
                    try {
                        NoRetryHttpClient.Response r = client.get(uri.getPort(), path, timeout);
                        took = System.nanoTime() - t0;
                        counts[r.status() == 200 ? 0 : r.status() == 503 ? 1 : 3]++;
                    } catch (SocketTimeoutException e) {
                        took = Math.max(System.nanoTime() - t0, timeout.toNanos());
                        counts[2]++;
                    } catch (IOException e) {
                        took = System.nanoTime() - t0;
                        counts[3]++;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                return new long[][] {Arrays.copyOf(latencies, n), counts};
            }));
        }
        List<long[]> all = new ArrayList<>();
        long[] totals = new long[4];
        for (Future<long[][]> f : futures) {
            long[][] r = f.get(duration.toMillis() + timeout.toMillis() * 3 + 30_000, TimeUnit.MILLISECONDS);
            all.add(r[0]);
            for (int i = 0; i < 4; i++) {
                totals[i] += r[1][i];
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        client.close();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (merged.length == 0) {
            return new Result(name, 0, 0, 0, 0, 0, seconds, 0, 0, 0);
        }
        return new Result(name, merged.length, (int) totals[0], (int) totals[1], (int) totals[2], (int) totals[3],
                seconds, Stats.percentile(merged, 0.50), Stats.percentile(merged, 0.99), merged[merged.length - 1]);
    }

    /**
     * An open-loop driver that probes the way the kubelet does: {@code rate} probes per second at fixed times for
     * {@code duration}, each on a new connection ({@code Connection: close}; the kubelet's prober disables
     * keep-alive) and each without waiting for the ones before it. Each is measured from its scheduled send time
     * to the end of its answer, so a stall of the server or the driver counts against every probe it delays (no
     * coordinated omission). This is the latency of a probe when the server is not saturated; {@link #run}
     * measures saturation. Bounded: {@code rate x duration} probes, then at most {@code timeout} plus 30 s for
     * the last answers.
     */
    static Result paced(String name, URI uri, int rate, Duration duration, Duration timeout) throws Exception {
        TIMEOUT_MARK = timeout.toNanos();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUser-Agent: kube-probe/1.34\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ExecutorService senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "paced-" + name);
            t.setDaemon(true);
            return t;
        });
        int n = (int) Math.max(1, Math.min(1_000_000, (long) rate * duration.toSeconds()));
        long period = 1_000_000_000L / Math.max(1, rate);
        long[] latencies = new long[n];
        AtomicIntegerArray counts = new AtomicIntegerArray(4);
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long scheduled = start + i * period;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            senders.execute(() -> {
                int status = probe(address, request, scheduled + timeout.toNanos());
                long took = System.nanoTime() - scheduled;
                if (status == 0) {
                    took = Math.max(took, timeout.toNanos());
                }
                counts.incrementAndGet(status == 200 ? 0 : status == 503 ? 1 : status == 0 ? 2 : 3);
                latencies[index] = took;
                done.countDown();
            });
        }
        boolean all = done.await(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        senders.shutdownNow();
        if (!all) {
            throw new IllegalStateException(name + ": " + done.getCount() + " of " + n + " probes unanswered");
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(name, n, counts.get(0), counts.get(1), counts.get(2), counts.get(3), seconds,
                Stats.percentile(sorted, 0.50), Stats.percentile(sorted, 0.99), sorted[n - 1]);
    }

    /**
     * One probe on a new connection: the HTTP status, 0 when the deadline passed first, -1 on any other failure.
     * Reads the whole answer (to the server's close).
     */
    private static int probe(InetSocketAddress address, byte[] request, long deadline) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(address, remainingMillis(deadline));
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int length = 0;
            int read;
            do {
                socket.setSoTimeout(remainingMillis(deadline));
                read = in.read(buffer, length, buffer.length - length);
                if (read > 0) {
                    length = Math.min(length + read, buffer.length - 1024); // keep the status line, drop the rest
                }
            } while (read >= 0);
            // "HTTP/1.1 200 ..."
            String head = new String(buffer, 0, Math.min(length, 12), StandardCharsets.US_ASCII);
            return head.startsWith("HTTP/1.") && head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
