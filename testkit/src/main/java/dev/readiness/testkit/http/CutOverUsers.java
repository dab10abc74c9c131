package dev.readiness.testkit.http;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Logged-in users during a cut-over from sticky to shared sessions, each checking that its session never goes back
 * in time. Users start one every {@code startInterval} up to {@code users}; each has its own cookie jar and its own
 * kept-alive connection ({@link NoRetryHttpClient}: nothing is ever resent) and takes a step at a fixed rate:
 * <ul>
 * <li>{@code GET /session/counter}: the answer must be the previous one plus one (1 for a new session); any other
 * answer is <em>stale</em>. After a request that failed, the next answer may be one more for it.</li>
 * <li>every {@code listEvery}-th step {@code GET /session/list/add?item=<user>-<n>}: the answer must hold every item
 * appended so far, in order, and the new one last; otherwise it is stale too. At the end of a session
 * {@code GET /session/list} must still hold every item the user appended, in order: each one missing is a
 * <em>lost</em> item.</li>
 * <li>now and then (one step in {@code logoutEvery}, at random) {@code GET /session/logout}, then the old cookie is
 * replayed by hand on {@code GET /session/read} twice: an answer other than {@code 0} is a <em>resurrected</em>
 * session. The user then starts a fresh session.</li>
 * <li>every {@code racingEvery}-th step, a racing pair: the counter and a list add sent at once on two connections
 * (so the proxy may give them to two instances), then {@code GET /session/read} and {@code GET /session/list}
 * must show both changes; a change that did not survive is a <em>racing loss</em>. Expectations follow what the
 * service shows afterwards, so one loss is counted once.</li>
 * </ul>
 * A request that gets no answer or a status other than 200 is <em>failed</em>. Everything is bounded: each user
 * stops at {@code duration} after the start, the whole run after {@code maxRequests} requests, each request
 * after {@code requestTimeout}.
 */
public final class CutOverUsers implements AutoCloseable {

    /**
     * @param users          how many users, 1..1000
     * @param stepsPerSecond each user's step rate, 1..100
     * @param startInterval  time between two users' first steps
     * @param listEvery      every n-th step of a user is a list add (1..1000)
     * @param logoutEvery    a step logs out with probability 1/n; 0 never logs out
     * @param racingEvery    every n-th step is a racing pair; 0 never races
     * @param duration       each user's last step is before this time after {@link #start()}
     * @param maxRequests    no request is started after this many
     * @param requestTimeout longest a request may take
     * @param seed           for the random logouts, so a run can be repeated
     */
    public record Settings(int users, int stepsPerSecond, Duration startInterval, int listEvery, int logoutEvery,
                           int racingEvery, Duration duration, long maxRequests, Duration requestTimeout, long seed) {

        /** Validates every setting, naming it and the bad value. */
        public Settings {
            range("users", users, 1, 1000);
            range("stepsPerSecond", stepsPerSecond, 1, 100);
            range("listEvery", listEvery, 1, 1000);
            range("logoutEvery", logoutEvery, 0, 1_000_000);
            range("racingEvery", racingEvery, 0, 1_000_000);
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests must be positive, was " + maxRequests);
            }
            for (Duration d : new Duration[] {duration, requestTimeout}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("duration and requestTimeout must be positive, were "
                            + duration + " and " + requestTimeout);
                }
            }
            if (startInterval == null || startInterval.isNegative()) {
                throw new IllegalArgumentException("startInterval must be zero or positive, was " + startInterval);
            }
        }

        private static void range(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
            }
        }
    }

    /**
     * What the users saw.
     *
     * @param sessions     sessions started (a user's first and one after each logout)
     * @param requests     requests sent
     * @param failed       requests without an answer or with a status other than 200
     * @param stale        counter or list answers that were not the next state of the session
     * @param lostItems    appended items (answered 200) missing from the session's list at its end
     * @param resurrected  replays of a logged-out cookie that got the session back
     * @param racingPairs  racing pairs sent
     * @param racingSplit  racing pairs whose two requests two different backends answered ({@code X-Backend})
     * @param racingLost   changes of a racing pair that did not survive it
     * @param failures     the failed requests by status (or {@code io}), backend ({@code X-Backend}, {@code -}
     *                     when the proxy answered itself) and path, e.g. {@code "404 old-boot /session/list/add"}
     * @param samples      the first details of every kind of problem
     */
    public record Totals(int users, long sessions, long requests, long failed, long stale, long lostItems,
                         long resurrected, long racingPairs, long racingSplit, long racingLost,
                         java.util.SortedMap<String, Long> failures, List<String> samples) {

        /** Nothing failed, nothing stale, nothing lost, nothing resurrected. */
        public boolean clean() {
            return failed == 0 && stale == 0 && lostItems == 0 && resurrected == 0 && racingLost == 0;
        }

        /** One line, for a test's output. */
        public String summary() {
            return String.format(Locale.ROOT, "users=%d sessions=%d requests=%d failed=%d stale=%d lost-items=%d"
                            + " resurrected=%d racing-pairs=%d (on two backends %d) racing-lost=%d%s", users, sessions,
                    requests, failed, stale, lostItems, resurrected, racingPairs, racingSplit, racingLost,
                    failures.isEmpty() ? "" : " failures=" + failures);
        }

        @Override
        public String toString() {
            return summary() + (samples.isEmpty() ? "" : "; first problems: " + samples);
        }
    }

    private static final int SAMPLES_PER_KIND = 5;

    private final int port;
    private final Settings settings;
    private final ExecutorService threads = Executors.newCachedThreadPool(WeightedProxy.daemon("cut-over-user"));
    private final List<CompletableFuture<?>> running = new ArrayList<>();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong lostItems = new AtomicLong();
    private final AtomicLong resurrected = new AtomicLong();
    private final AtomicLong racingPairs = new AtomicLong();
    private final AtomicLong racingSplit = new AtomicLong();
    private final AtomicLong racingLost = new AtomicLong();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    private final java.util.Map<String, AtomicLong> samplesByKind = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long t0;
    private volatile boolean stopped;

    /** Users of the service on 127.0.0.1:{@code port} (a proxy's port, typically). */
    public CutOverUsers(int port, Settings settings) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        this.port = port;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Starts the users, one every {@code startInterval}. */
    public synchronized CutOverUsers start() {
        if (t0 != 0) {
            throw new IllegalStateException("already started");
        }
        t0 = System.nanoTime();
        for (int u = 0; u < settings.users(); u++) {
            User user = new User(u);
            running.add(CompletableFuture.runAsync(user::run, threads));
        }
        return this;
    }

    /**
     * Tells every user to stop after its current step and check its session's list, waits at most {@code timeout}
     * for them, and returns the totals.
     */
    public Totals stopAndAwait(Duration timeout) throws InterruptedException {
        stopped = true;
        return await(timeout);
    }

    /** Waits at most {@code timeout} for the users to reach their duration or the request bound, and returns the totals. */
    public Totals await(Duration timeout) throws InterruptedException {
        List<CompletableFuture<?>> all;
        synchronized (this) {
            all = List.copyOf(running);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a user failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            stopped = true;
            sample("harness", "users still running after " + timeout + "; totals so far");
        }
        return totals();
    }

    /** The totals so far. */
    public Totals totals() {
        java.util.SortedMap<String, Long> byKind = new java.util.TreeMap<>();
        failures.forEach((k, v) -> byKind.put(k, v.get()));
        return new Totals(settings.users(), sessions.get(), requests.get(), failed.get(), stale.get(), lostItems.get(),
                resurrected.get(), racingPairs.get(), racingSplit.get(), racingLost.get(),
                java.util.Collections.unmodifiableSortedMap(byKind), List.copyOf(samples));
    }

    @Override
    public void close() {
        stopped = true;
        threads.shutdownNow();
    }

    private void sample(String kind, String what) {
        if (samplesByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet() <= SAMPLES_PER_KIND) {
            samples.add(String.format(Locale.ROOT, "%.3fs %s: %s", (System.nanoTime() - t0) / 1e9, kind, what));
        }
    }

    /** An answer with status 200, or null when the request failed (counted and sampled). */
    private record Answer(String body, String backend) {
    }

    /** One simulated user: its cookie jar, its connection, what it knows its session holds. */
    private final class User {
        private final int index;
        private final String name;
        private final Random random;
        private final NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(2), true);
        private final CookieJar jar = new CookieJar();
        private int counter;      // the largest counter answered in this session
        private int unsureCounts; // counter requests since then whose outcome is unknown
        private final List<String> items = new ArrayList<>(); // items appended with a 200 answer, in order
        private final Set<String> unsureItems = new HashSet<>(); // appends whose outcome is unknown
        private int itemNumber;
        private int session;

        User(int index) {
            this.index = index;
            this.name = "u" + index;
            this.random = new Random(settings.seed() * 1_000_003 + index);
        }

        void run() {
            try {
                long start = t0 + settings.startInterval().toNanos() * index;
                long end = t0 + settings.duration().toNanos();
                long period = 1_000_000_000L / settings.stepsPerSecond();
                fresh();
                for (long step = 0; ; step++) {
                    long due = start + step * period;
                    if (stopped || due - end >= 0 || requests.get() >= settings.maxRequests()) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (stopped) {
                        break;
                    }
                    boolean hasSession = !jar.isEmpty();
                    if (hasSession && settings.logoutEvery() > 0 && random.nextInt(settings.logoutEvery()) == 0) {
                        logout();
                    } else if (hasSession && settings.racingEvery() > 0
                            && step % settings.racingEvery() == settings.racingEvery() - 1) {
                        racingPair();
                    } else if (step % settings.listEvery() == settings.listEvery() - 1) {
                        add();
                    } else {
                        counter();
                    }
                }
                if (!jar.isEmpty()) {
                    checkList("at the end");
                }
            } finally {
                client.close();
            }
        }

        private void fresh() {
            jar.clear();
            counter = 0;
            unsureCounts = 0;
            items.clear();
            unsureItems.clear();
            session++;
            sessions.incrementAndGet();
        }

        private String who() {
            return name + " session " + session;
        }

        private Answer get(String target) {
            return get(target, jar.header(), true);
        }

        /** One GET with {@code cookie} (or none); {@code keep} stores what it sets in the jar. */
        private Answer get(String target, String cookie, boolean keep) {
            requests.incrementAndGet();
            NoRetryHttpClient.Response r;
            try {
                r = client.get(port, target, cookie == null ? java.util.Map.of() : java.util.Map.of("Cookie", cookie),
                        settings.requestTimeout());
            } catch (IOException | RuntimeException e) {
                failed(target, "io", "-");
                sample("failed", who() + " " + target + " -> " + e);
                return null;
            }
            if (keep) {
                jar.remember(r.headers("set-cookie"));
            }
            String backend = String.valueOf(r.header("x-backend"));
            if (r.status() != 200) {
                failed(target, String.valueOf(r.status()), r.header("x-backend") == null ? "-" : backend);
                sample("failed", who() + " " + target + " -> " + r.status() + " from " + backend + " "
                        + gist(r.text()));
                return null;
            }
            return new Answer(r.text().trim(), backend);
        }

        private void failed(String target, String status, String backend) {
            failed.incrementAndGet();
            int q = target.indexOf('?');
            failures.computeIfAbsent(status + " " + backend + " " + (q < 0 ? target : target.substring(0, q)),
                    k -> new AtomicLong()).incrementAndGet();
        }

        void counter() {
            checkCounter(get("/session/counter"), "counter");
        }

        /** Checks a counter answer against what the session held; returns whether it was the next value. */
        private boolean checkCounter(Answer a, String what) {
            if (a == null) {
                unsureCounts++;
                return false;
            }
            int value;
            try {
                value = Integer.parseInt(a.body());
            } catch (NumberFormatException e) {
                stale.incrementAndGet();
                sample("stale", who() + " " + what + " answered '" + a.body() + "' from " + a.backend());
                return false;
            }
            int lo = counter + 1;
            int hi = counter + 1 + unsureCounts;
            if (value < lo || value > hi) {
                stale.incrementAndGet();
                sample("stale", who() + " " + what + " answered " + value + " from " + a.backend() + ", expected "
                        + (lo == hi ? lo : lo + ".." + hi));
                counter = Math.max(counter, value);
                return false;
            }
            counter = value;
            unsureCounts = 0;
            return true;
        }

        private String nextItem() {
            return name + "-" + (++itemNumber);
        }

        void add() {
            String item = nextItem();
            checkAdd(item, get("/session/list/add?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8)));
        }

        /** Checks a list add's answer: every item so far in order, the new one last. */
        private boolean checkAdd(String item, Answer a) {
            if (a == null) {
                unsureItems.add(item);
                return false;
            }
            List<String> got = parse(a.body());
            List<String> expected = new ArrayList<>(items);
            expected.add(item);
            items.add(item);
            if (missing(got, expected) > 0 || got.isEmpty() || !got.get(got.size() - 1).equals(item)) {
                stale.incrementAndGet();
                sample("stale", who() + " list add " + item + " answered " + got + " from " + a.backend()
                        + ", expected " + expected);
                return false;
            }
            return true;
        }

        /** {@code GET /session/list}: every item appended so far must be there, in order. */
        private void checkList(String when) {
            Answer a = get("/session/list");
            if (a == null) {
                return;
            }
            List<String> got = parse(a.body());
            int lost = missing(got, items);
            if (lost > 0) {
                lostItems.addAndGet(lost);
                sample("lost", who() + " " + when + ": list " + got + " from " + a.backend() + " lacks " + lost
                        + " of " + items);
            }
        }

        void logout() {
            checkList("before logout");
            String old = jar.header();
            // After a failed logout the session may rightly live on: only a logout answered 200 is checked.
            boolean loggedOut = get("/session/logout") != null;
            for (int i = 0; loggedOut && i < 2; i++) {
                Answer a = get("/session/read", old, false);
                if (a != null && !a.body().equals("0")) {
                    resurrected.incrementAndGet();
                    sample("resurrected", who() + " logged out, its old cookie read " + a.body() + " from "
                            + a.backend());
                }
            }
            fresh();
        }

        void racingPair() {
            racingPairs.incrementAndGet();
            String item = nextItem();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Answer> list = CompletableFuture.supplyAsync(() -> {
                await(go);
                return get("/session/list/add?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8));
            }, threads);
            CompletableFuture<Answer> count = CompletableFuture.supplyAsync(() -> {
                await(go);
                return get("/session/counter");
            }, threads);
            go.countDown();
            Answer c;
            Answer l;
            try {
                long ms = settings.requestTimeout().toMillis() + 5_000;
                c = count.get(ms, TimeUnit.MILLISECONDS);
                l = list.get(ms, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a racing request of " + who() + " did not finish: " + e, e);
            }
            if (c != null && l != null && !c.backend().equals(l.backend())) {
                racingSplit.incrementAndGet();
            }
            boolean counted = checkCounter(c, "racing counter");
            boolean added = checkAdd(item, l);
            Answer read = get("/session/read");
            if (counted && read != null) {
                try {
                    int now = Integer.parseInt(read.body());
                    if (now < counter) {
                        racingLost.incrementAndGet();
                        sample("racing-lost", who() + " counter " + counter + " (from " + c.backend() + ") raced "
                                + item + " (from " + backend(l) + "); read answered " + now + " from "
                                + read.backend());
                        counter = now; // count the loss once, here
                    }
                } catch (NumberFormatException e) {
                    stale.incrementAndGet();
                    sample("stale", who() + " read answered '" + read.body() + "' from " + read.backend());
                }
            }
            Answer after = get("/session/list");
            if (added && after != null && !parse(after.body()).contains(item)) {
                racingLost.incrementAndGet();
                sample("racing-lost", who() + " item " + item + " (from " + l.backend() + ") raced the counter"
                        + " (from " + backend(c) + "); list answered " + after.body() + " from " + after.backend());
                items.remove(item); // count the loss once, here
            }
        }

        private static String backend(Answer a) {
            return a == null ? "- (failed)" : a.backend();
        }

        private void await(CountDownLatch go) {
            try {
                go.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An error page in a line: its HTML title if it has one, else its text, at most 200 characters. */
    static String gist(String body) {
        String text = body.replaceAll("\\s+", " ").trim();
        int title = text.indexOf("<title>");
        int end = text.indexOf("</title>");
        if (title >= 0 && end > title) {
            text = text.substring(title + "<title>".length(), end);
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static List<String> parse(String body) {
        return body.isEmpty() ? List.of() : Arrays.asList(body.split(",", -1));
    }

    /** How many of {@code expected} are not found in {@code got} in the same order (other items may be between). */
    static int missing(List<String> got, List<String> expected) {
        int lost = 0;
        int from = 0;
        for (String e : expected) {
            int at = -1;
            for (int k = from; k < got.size(); k++) {
                if (got.get(k).equals(e)) {
                    at = k;
                    break;
                }
            }
            if (at < 0) {
                lost++;
            } else {
                from = at + 1;
            }
        }
        return lost;
    }
}
