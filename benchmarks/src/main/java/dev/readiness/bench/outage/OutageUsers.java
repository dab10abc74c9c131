package dev.readiness.bench.outage;

import dev.readiness.testkit.http.CookieJar;
import dev.readiness.testkit.http.NoRetryHttpClient;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulated users behind the load balancer: each has its own cookies and its own kept-alive connection
 * ({@link NoRetryHttpClient}: nothing is ever resent) and alternates {@code GET /} (no session) and
 * {@code GET /session/counter} (reads and writes its session), one request at a time, at
 * {@code totalRate / users} requests per second. A request that is still unanswered when the next one is due
 * delays it; slots missed that way are skipped, not caught up, so the rate stays bounded. Every request is
 * recorded: when it was sent and answered, its route, its status (or {@link #TIMEOUT} when the client's patience
 * ran out, {@link #CONNECTION_ERROR} when the connection failed), and whether the load balancer itself answered
 * (no {@code X-Backend} header).
 */
final class OutageUsers implements AutoCloseable {

    /** Status of a request the client gave up on after its timeout. */
    static final int TIMEOUT = -1;
    /** Status of a request whose connection was refused, reset or closed before a complete answer. */
    static final int CONNECTION_ERROR = -2;

    static final String NO_SESSION = "/";
    static final String SESSION = "/session/counter";

    /**
     * One request.
     *
     * @param sent     {@link System#nanoTime()} when it was sent
     * @param done     when the answer, the timeout or the error came
     * @param session  whether it was the session route
     * @param status   the HTTP status, {@link #TIMEOUT} or {@link #CONNECTION_ERROR}
     * @param byProxy  whether the load balancer answered it without a backend (its own 503)
     * @param counter  the counter a 2xx session answer holds; 0 otherwise
     */
    record Request(int user, long sent, long done, boolean session, int status, boolean byProxy, int counter) {

        double latencyMillis() {
            return (done - sent) / 1e6;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final int port;
    private final int users;
    private final long periodNanos;
    private final Duration timeout;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param port      the load balancer's port on loopback
     * @param users     simulated users, 1..100
     * @param totalRate requests per second over all users, at most 50 per user
     * @param timeout   the client's patience per request
     */
    OutageUsers(int port, int users, int totalRate, Duration timeout) {
        if (users < 1 || users > 100) {
            throw new IllegalArgumentException("users must be 1..100, was " + users);
        }
        if (totalRate < users || totalRate > 50 * users) {
            throw new IllegalArgumentException("totalRate must be 1..50 requests/s per user, was " + totalRate
                    + " for " + users + " users");
        }
        this.port = port;
        this.users = users;
        this.periodNanos = 1_000_000_000L * users / totalRate;
        this.timeout = timeout;
    }

    /** Starts every user, their first requests spread over one period from {@code t0}. */
    OutageUsers start(long t0) {
        for (int u = 0; u < users; u++) {
            int user = u;
            long first = t0 + periodNanos * u / users;
            Thread t = new Thread(() -> run(user, first), "outage-user-" + u);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void run(int user, long first) {
        CookieJar cookies = new CookieJar();
        boolean session = user % 2 == 0; // half the users start with the session route
        try (NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(1), true)) {
            for (long slot = 0; !stopped; ) {
                long due = first + slot * periodNanos;
                for (long wait = due - System.nanoTime(); wait > 0 && !stopped; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                }
                if (stopped) {
                    return;
                }
                requests.add(send(client, user, session, cookies));
                session = !session;
                long late = System.nanoTime() - first;
                slot = Math.max(slot + 1, (late + periodNanos - 1) / periodNanos);
            }
        }
    }

    private Request send(NoRetryHttpClient client, int user, boolean session, CookieJar cookies) {
        Map<String, String> headers = cookies.headers();
        long sent = System.nanoTime();
        try {
            NoRetryHttpClient.Response r = client.get(port, session ? SESSION : NO_SESSION, headers, timeout);
            long done = System.nanoTime();
            cookies.remember(r.headers("set-cookie"));
            boolean ok = r.status() >= 200 && r.status() < 300;
            return new Request(user, sent, done, session, r.status(), r.header("x-backend") == null,
                    session && ok ? counter(r.text()) : 0);
        } catch (SocketTimeoutException e) {
            return new Request(user, sent, System.nanoTime(), session, TIMEOUT, false, 0);
        } catch (IOException | RuntimeException e) {
            return new Request(user, sent, System.nanoTime(), session, CONNECTION_ERROR, false, 0);
        }
    }

    private static int counter(String body) {
        try {
            return Integer.parseInt(body.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops sending; requests in flight finish within the client's timeout. */
    void stop() {
        stopped = true;
    }

    /** Waits for every user to finish its last request, at most the client's timeout and a second. */
    void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos() + 1_000_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                t.join(left);
            }
        }
    }

    /** Every request recorded so far, in the order they completed. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        stop();
    }
}
