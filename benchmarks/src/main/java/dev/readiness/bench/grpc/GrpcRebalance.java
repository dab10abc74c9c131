package dev.readiness.bench.grpc;

import dev.readiness.grpc.GrpcServers;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.testkit.TcpProxy;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebalancing behind an L4 balancer: one server behind testkit's round-robin {@link TcpProxy} (standing in for
 * kube-proxy and a ClusterIP Service: one upstream per connection for the connection's life) and {@code channels}
 * long-lived client channels with grpc-java's defaults (pick_first), each sending a unary call every 100 ms. Then
 * two servers are added to the proxy. With readiness' {@code max-connection-age} ({@link GrpcServers#configure})
 * each connection is sent a GOAWAY at its age, its channel reconnects through the proxy and lands on the next
 * upstream; with grpc-java's defaults (no connection age) every channel stays on the first server for good.
 * Shares are counted over the last 5 s before {@code max-connection-age x 1.1 + grace + 10 s} after the servers
 * were added; a call is counted failed on any status but OK.
 */
public final class GrpcRebalance {

    /** The 5 s window at the end of the run over which each server's share is counted. */
    static final Duration WINDOW = Duration.ofSeconds(5);

    /**
     * @param shares   each server's share of the calls in the last window, in the order first, added, added
     * @param failed   calls that did not end OK, for the whole run
     * @param within   the time after the servers were added at whose end the shares were counted
     */
    public record Result(String target, Map<String, Double> shares, long calls, long failed, Duration within,
                         Map<String, Long> failures) {

        public double minShareOfAddedServers() {
            return shares.entrySet().stream().filter(e -> !e.getKey().equals("first"))
                    .mapToDouble(Map.Entry::getValue).min().orElse(0);
        }

        public double minShare() {
            return shares.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        }

        public String summary() {
            StringBuilder s = new StringBuilder();
            shares.forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.1f %%, ", k, v * 100)));
            return String.format(Locale.ROOT, "%sin the 5 s up to %d s after adding two servers; %d calls, %d failed %s",
                    s, within.toSeconds(), calls, failed, failures.isEmpty() ? "" : failures.toString());
        }
    }

    private GrpcRebalance() {
    }

    public static void main(String[] args) throws Exception {
        GrpcSettings s = GrpcSettings.builder().maxConnectionAge(Duration.ofSeconds(5))
                .maxConnectionAgeGrace(Duration.ofSeconds(2)).build();
        System.out.println("grpc-java defaults: " + run(null, 8).summary());
        System.out.println("readiness:          " + run(s, 8).summary());
        System.exit(0);
    }

    /** One run: {@code settings} null for grpc-java's defaults (no connection age). */
    public static Result run(GrpcSettings settings, int channels) throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        List<Server> servers = new ArrayList<>();
        List<ManagedChannel> clients = new ArrayList<>();
        TcpProxy proxy = null;
        String target = settings == null ? "grpc-java defaults" : "readiness max-connection-age "
                + settings.maxConnectionAge().toSeconds() + " s, grace " + settings.maxConnectionAgeGrace().toSeconds() + " s";
        ConcurrentLinkedQueue<long[]> calls = new ConcurrentLinkedQueue<>();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        List<String> names = List.of("first", "added-1", "added-2");
        try {
            for (String name : names) {
                NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
                if (settings != null) {
                    GrpcServers.configure(b, settings);
                }
                servers.add(b.addService(LoadService.definition(name, timer)).build().start());
            }
            proxy = TcpProxy.start("127.0.0.1", servers.get(0).getPort());
            for (int i = 0; i < channels; i++) {
                clients.add(NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build());
            }
            for (ManagedChannel c : clients) {
                ClientCalls.blockingUnaryCall(c, LoadService.SLEEP, CallOptions.DEFAULT.withDeadlineAfter(30,
                        TimeUnit.SECONDS), "0");
            }
            for (ManagedChannel c : clients) {
                timer.scheduleAtFixedRate(() -> ClientCalls.asyncUnaryCall(c.newCall(LoadService.SLEEP,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), "0", new StreamObserver<>() {
                            @Override
                            public void onNext(String by) {
                                calls.add(new long[] {System.nanoTime(), names.indexOf(by)});
                            }

                            @Override
                            public void onError(Throwable t) {
                                failed.incrementAndGet();
                                Status s = Status.fromThrowable(t);
                                failures.merge(s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()),
                                        1L, Long::sum);
                            }

                            @Override
                            public void onCompleted() {
                            }
                        }), 0, 100, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(2_000);
            proxy.addUpstream("127.0.0.1", servers.get(1).getPort()).addUpstream("127.0.0.1", servers.get(2).getPort());
            long added = System.nanoTime();
            Duration within = settings == null ? Duration.ofSeconds(15)
                    : Duration.ofMillis(settings.maxConnectionAge().toMillis() * 11 / 10
                    + settings.maxConnectionAgeGrace().toMillis() + 10_000);
            Thread.sleep(within.toMillis());
            long end = added + within.toNanos();
            long from = end - WINDOW.toNanos();
            long[] per = new long[names.size()];
            long total = 0;
            long all = 0;
            for (long[] c : calls) {
                all++;
                if (c[0] >= from && c[0] < end && c[1] >= 0) {
                    per[(int) c[1]]++;
                    total++;
                }
            }
            Map<String, Double> shares = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                shares.put(names.get(i), total == 0 ? 0 : (double) per[i] / total);
            }
            return new Result(target, shares, all + failed.get(), failed.get(), within, Map.copyOf(failures));
        } finally {
            timer.shutdownNow();
            for (ManagedChannel c : clients) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (proxy != null) {
                proxy.close();
            }
            for (Server s : servers) {
                s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
