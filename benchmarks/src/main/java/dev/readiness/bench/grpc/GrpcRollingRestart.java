package dev.readiness.bench.grpc;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.process.ForkedJvm;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rolling restarts of two gRPC servers under load, the same harness for readiness ({@link ReadinessGrpcServer})
 * and for the anchor, a plain grpc-java server stopped with {@code shutdown()} and {@code awaitTermination}
 * ({@link PlainGrpcServer}). One client channel with {@code round_robin} over both servers and client-side health
 * checking (service {@code ""}), as {@code GrpcChannels.headless} builds it; a constant rate of unary calls, one in
 * ten slow (100 to 1,000 ms), each sent once (no retry policy; grpc-java's transparent retry of calls that never
 * left the client stays on, as in every grpc-java client); and open server streams: half finite (0.5 to 2 s, then
 * OK), half subscriptions that never end by themselves. Per restart, the two servers in turn: a real SIGTERM, wait
 * for the exit, start a replacement on the same port, wait until the client's channel sends it calls again.
 * <p>
 * A stream ends <em>cleanly</em> with OK, or with the drain's own {@code UNAVAILABLE} "server draining: ..." that
 * tells the client to retry elsewhere; any other end (a connection closed under it, {@code CANCELLED}, a reset) is
 * unclean.
 * <pre>
 * java -cp benchmarks/target/readiness-benchmarks.jar dev.readiness.bench.grpc.GrpcRollingRestart [restarts] [rate]
 * </pre>
 */
public final class GrpcRollingRestart {

    /**
     * @param restarts         restarts in all, taking the two servers in turn
     * @param rate             unary calls per second
     * @param streams          streams kept open
     * @param propagationDelay readiness' propagation delay
     * @param drainTimeout     readiness' drain timeout, and the anchor's awaitTermination
     */
    public record Settings(int restarts, int rate, int streams, Duration propagationDelay, Duration drainTimeout,
                           boolean echo) {
    }

    /** One restart: the exit status and the time from SIGTERM to exit. */
    public record Restart(int exitCode, Duration shutdown) {
    }

    public record Result(String target, long unarySent, long unaryOk, long unaryFailed, long streamsEnded,
                         long streamsUnclean, List<Restart> restarts, Map<String, Long> failures) {

        public String summary() {
            return String.format(Locale.ROOT, "%d unary calls, %d failed; %d streams ended, %d unclean; %d restarts,"
                            + " exit codes %s, shutdown %d..%d ms; failures %s", unarySent, unaryFailed, streamsEnded,
                    streamsUnclean, restarts.size(), restarts.stream().map(Restart::exitCode).distinct().sorted().toList(),
                    restarts.stream().mapToLong(r -> r.shutdown().toMillis()).min().orElse(0),
                    restarts.stream().mapToLong(r -> r.shutdown().toMillis()).max().orElse(0), failures);
        }
    }

    private final String target;
    private final Settings settings;
    private final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong streamsEnded = new AtomicLong();
    private final AtomicLong streamsUnclean = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final List<Restart> restarts = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private GrpcRollingRestart(String target, Settings settings) {
        this.target = target;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        int restarts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Settings s = new Settings(restarts, rate, 8, Duration.ofSeconds(1), Duration.ofSeconds(3), false);
        for (String target : List.of("plain", "readiness")) {
            System.out.println(target + ": " + run(target, s).summary());
        }
        System.exit(0);
    }

    /** One run against {@code target}: {@code readiness} or {@code plain}. */
    public static Result run(String target, Settings settings) throws Exception {
        if (!target.equals("readiness") && !target.equals("plain")) {
            throw new IllegalArgumentException("unknown target " + target + "; readiness or plain");
        }
        return new GrpcRollingRestart(target, settings).run();
    }

    private Result run() throws Exception {
        int[] ports = {FreePorts.next(), FreePorts.next()};
        ForkedJvm[] servers = new ForkedJvm[2];
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        ManagedChannel channel = null;
        try {
            // both at once: a JVM's start is most of this harness's time
            servers[0] = fork(0, ports[0], 0);
            servers[1] = fork(1, ports[1], 0);
            for (int i = 0; i < 2; i++) {
                awaitStarted(servers[i], ports[i]);
            }
            channel = NettyChannelBuilder.forTarget("fixed:///load")
                    .nameResolverFactory(new FixedAddresses(List.of(ports[0], ports[1])))
                    .defaultServiceConfig(dev.readiness.grpc.GrpcChannels.SERVICE_CONFIG)
                    .usePlaintext().build();
            ManagedChannel c = channel;
            long periodNanos = 1_000_000_000L / settings.rate();
            load.scheduleAtFixedRate(() -> unary(c), 0, periodNanos, TimeUnit.NANOSECONDS);
            for (int i = 0; i < settings.streams(); i++) {
                stream(c, i % 2 == 0, load);
            }
            for (int i = 0; i < 2; i++) {
                awaitCallsTo(servers[i]);
            }
            for (int n = 1; n <= settings.restarts(); n++) {
                int i = (n - 1) % 2;
                long t0 = System.nanoTime();
                servers[i].signal("TERM");
                int exit = servers[i].awaitExit(settings.propagationDelay().plus(settings.drainTimeout())
                        .plusSeconds(20));
                restarts.add(new Restart(exit, Duration.ofNanos(System.nanoTime() - t0)));
                servers[i].close();
                servers[i] = fork(i, ports[i], n);
                awaitStarted(servers[i], ports[i]);
                awaitCallsTo(servers[i]);
            }
            running = false;
            load.shutdown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inFlight.get() > 0 && System.nanoTime() - end < 0) {
                Thread.sleep(20);
            }
            return new Result(target, sent.get(), ok.get(), failed.get(), streamsEnded.get(), streamsUnclean.get(),
                    List.copyOf(restarts), new HashMap<>(failures));
        } finally {
            running = false;
            load.shutdownNow();
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            for (ForkedJvm s : servers) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private ForkedJvm fork(int slot, int port, int generation) throws Exception {
        Map<String, String> env = Map.of("PORT", Integer.toString(port),
                "PROPAGATION_DELAY", seconds(settings.propagationDelay()),
                "DRAIN_TIMEOUT", seconds(settings.drainTimeout()));
        String main = target.equals("readiness") ? ReadinessGrpcServer.class.getName() : PlainGrpcServer.class.getName();
        return ForkedJvm.start(target + "-" + slot + "-" + generation, ForkedJvm.currentClasspath(), main, env,
                List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), settings.echo());
    }

    private static void awaitStarted(ForkedJvm jvm, int port) throws InterruptedException {
        jvm.await("listening on (\\d+)", Duration.ofSeconds(60));
        awaitServing(port);
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + "S";
    }

    private static void awaitServing(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            while (System.nanoTime() - end < 0) {
                try {
                    if (HealthGrpc.newBlockingStub(probe).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // not listening or not serving yet
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("server on port " + port + " not SERVING within 30 s");
        } finally {
            probe.shutdownNow();
        }
    }

    /** Waits until the load channel's calls reach {@code server} (its subchannel reconnected and is healthy). */
    private void awaitCallsTo(ForkedJvm server) throws InterruptedException {
        String id = target + "-" + server.pid();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - end < 0) {
            AtomicLong n = servedBy.get(id);
            if (n != null && n.get() > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the client sent no call to " + id + " within 30 s of its start");
    }

    private void unary(ManagedChannel channel) {
        if (!running) {
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String ms = r.nextInt(10) == 0 ? Integer.toString(100 + r.nextInt(901)) : "0";
        sent.incrementAndGet();
        inFlight.incrementAndGet();
        ClientCalls.asyncUnaryCall(channel.newCall(LoadService.SLEEP, CallOptions.DEFAULT.withDeadlineAfter(10,
                TimeUnit.SECONDS)), ms, new StreamObserver<>() {
            @Override
            public void onNext(String by) {
                servedBy.computeIfAbsent(by, k -> new AtomicLong()).incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                failed.incrementAndGet();
                failures.merge("unary " + describe(Status.fromThrowable(t)), 1L, Long::sum);
                inFlight.decrementAndGet();
            }

            @Override
            public void onCompleted() {
                ok.incrementAndGet();
                inFlight.decrementAndGet();
            }
        });
    }

    /** Opens a stream and, when it ends, records how and opens another, as long as the run goes on. */
    private void stream(ManagedChannel channel, boolean subscription, ScheduledExecutorService timer) {
        if (!running) {
            return;
        }
        String count = subscription ? "0" : Integer.toString(5 + ThreadLocalRandom.current().nextInt(16));
        ClientCalls.asyncServerStreamingCall(channel.newCall(LoadService.TICKS, CallOptions.DEFAULT), count,
                new StreamObserver<>() {
                    @Override
                    public void onNext(String by) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status s = Status.fromThrowable(t);
                        if (!running && s.getCode() == Status.Code.CANCELLED) {
                            return; // the harness closed its channel
                        }
                        streamsEnded.incrementAndGet();
                        boolean drained = s.getCode() == Status.Code.UNAVAILABLE && s.getDescription() != null
                                && s.getDescription().startsWith("server draining");
                        if (!drained) {
                            streamsUnclean.incrementAndGet();
                            failures.merge("stream " + describe(s), 1L, Long::sum);
                        }
                        again();
                    }

                    @Override
                    public void onCompleted() {
                        streamsEnded.incrementAndGet();
                        again();
                    }

                    private void again() {
                        if (running) {
                            timer.schedule(() -> stream(channel, subscription, timer), 50, TimeUnit.MILLISECONDS);
                        }
                    }
                });
    }

    private static String describe(Status s) {
        String d = s.getDescription() == null ? "" : ": " + s.getDescription();
        return s.getCode() + (d.length() > 80 ? d.substring(0, 80) : d);
    }
}
