package dev.readiness.testkit.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One user (one cookie jar) sending requests to instances in turn, each request as soon as the previous answer
 * arrived, to a path that increments a counter kept in the session and answers the new value. Every answer must
 * be the previous one plus one; an answer that is not larger is stale: the instance read the session before the
 * previous request's save reached the store, although the client already had that request's response.
 * One kept-alive {@link NoRetryHttpClient} connection per instance, so nothing is resent.
 */
public final class SessionAlternation {

    /** Answers the counter in the body, as the samples' {@code /session/counter} does. */
    public static final ToIntFunction<NoRetryHttpClient.Response> BODY =
            r -> Integer.parseInt(r.text().trim());

    private final List<InetSocketAddress> instances;
    private final ToIntFunction<NoRetryHttpClient.Response> counter;

    /** @param counter reads the counter from an answer (its body: {@link #BODY}, or a header) */
    public SessionAlternation(List<InetSocketAddress> instances, ToIntFunction<NoRetryHttpClient.Response> counter) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("instances is empty: name at least one host and port");
        }
        for (InetSocketAddress a : instances) {
            if (a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException(a + " is not on loopback: test traffic stays on this machine");
            }
        }
        this.instances = List.copyOf(instances);
        this.counter = counter;
    }

    /** Two or more instances on loopback. */
    public static SessionAlternation onLoopback(ToIntFunction<NoRetryHttpClient.Response> counter, int... ports) {
        List<InetSocketAddress> list = new ArrayList<>();
        for (int p : ports) {
            list.add(new InetSocketAddress("127.0.0.1", p));
        }
        return new SessionAlternation(list, counter);
    }

    /**
     * What one run saw.
     *
     * @param stale   answers not larger than the previous one
     * @param skipped answers larger than the previous one plus one (a request counted twice)
     * @param samples the first few stale, skipped or unexpected answers, described
     */
    public record Result(int requests, int stale, int skipped, int unexpectedStatus, List<String> samples) {

        public boolean clean() {
            return stale == 0 && skipped == 0 && unexpectedStatus == 0;
        }

        @Override
        public String toString() {
            return requests + " requests: " + stale + " stale, " + skipped + " skipped, " + unexpectedStatus
                    + " with an unexpected status" + (samples.isEmpty() ? "" : "; first: " + samples);
        }
    }

    /**
     * Sends {@code requests} requests for {@code target}, to instance {@code i % instances}; the first one starts a
     * new session (its answer is the base the others count from).
     *
     * @param status the status every answer must have
     */
    public Result run(String target, int requests, int status) throws IOException {
        CookieJar cookies = new CookieJar();
        NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(5), true);
        int stale = 0;
        int skipped = 0;
        int unexpected = 0;
        List<String> samples = new ArrayList<>();
        Integer previous = null;
        try {
            for (int i = 0; i < requests; i++) {
                int on = i % instances.size();
                NoRetryHttpClient.Response r = client.get(instances.get(on).getPort(), target, cookies.headers(),
                        Duration.ofSeconds(30));
                cookies.remember(r.headers("set-cookie"));
                if (r.status() != status) {
                    unexpected++;
                    sample(samples, "request " + i + " on instance " + on + ": status " + r.status());
                    continue;
                }
                int value = counter.applyAsInt(r);
                if (previous != null && value <= previous) {
                    stale++;
                    sample(samples, "request " + i + " on instance " + on + ": " + value + " after " + previous);
                } else if (previous != null && value > previous + 1) {
                    skipped++;
                    sample(samples, "request " + i + " on instance " + on + ": " + value + " after " + previous);
                }
                previous = previous == null ? value : Math.max(previous, value);
            }
        } finally {
            client.close();
        }
        return new Result(requests, stale, skipped, unexpected, List.copyOf(samples));
    }

    private static void sample(List<String> samples, String s) {
        if (samples.size() < 5) {
            samples.add(s);
        }
    }
}
