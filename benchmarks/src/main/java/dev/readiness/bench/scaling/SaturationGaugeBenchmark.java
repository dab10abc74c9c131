package dev.readiness.bench.scaling;

import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.grpc.GrpcSaturation;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.grpc.GrpcStats;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.ConcurrencySaturation;
import dev.readiness.health.saturation.JettySaturation;
import dev.readiness.health.saturation.TomcatSaturation;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The saturation gauge's costs: one read of each source (what a scrape or an agent check pays), and what counting a
 * request in flight costs on the request path (the concurrency-target source; the Tomcat, Jetty and gRPC executor
 * sources add nothing per request, they read counters the pools keep anyway). Real started servers and pools.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SaturationGaugeBenchmark {

    private Server jetty;
    private Tomcat tomcat;
    private JettySaturation jettySaturation;
    private TomcatSaturation tomcatSaturation;
    private InFlightTracker tracker;
    private ConcurrencySaturation inFlight;
    private java.util.concurrent.ThreadPoolExecutor grpcPool;
    private Saturation grpcExecutor;
    private Saturation grpcInFlight;

    @Setup(Level.Trial)
    public void start() throws Exception {
        jetty = new Server();
        ServerConnector c = new ServerConnector(jetty);
        c.setHost("127.0.0.1");
        c.setPort(0);
        jetty.addConnector(c);
        jetty.start();
        jettySaturation = JettySaturation.of(jetty);
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.start();
        tomcatSaturation = TomcatSaturation.of(tomcat.getConnector());
        tracker = new InFlightTracker();
        inFlight = ConcurrencySaturation.of(tracker, 200);
        for (int i = 0; i < 16; i++) {
            tracker.begin(); // a few requests in flight, as under load
        }
        // a gRPC server's bounded executor of 32 threads, all started (getActiveCount walks them under a lock)
        grpcPool = new java.util.concurrent.ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>());
        grpcPool.prestartAllCoreThreads();
        grpcExecutor = GrpcSaturation.executor(grpcPool);
        grpcInFlight = GrpcSaturation.inFlight(new GrpcStats(GrpcSettings.defaults()), 200);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        grpcPool.shutdownNow();
        jetty.stop();
        tomcat.stop();
        tomcat.destroy();
    }

    @Benchmark
    public double readJetty() {
        return jettySaturation.value();
    }

    @Benchmark
    public double readTomcat() {
        return tomcatSaturation.value();
    }

    @Benchmark
    public double readInFlight() {
        return inFlight.value();
    }

    @Benchmark
    public double readGrpcExecutor() {
        return grpcExecutor.value();
    }

    @Benchmark
    public double readGrpcInFlight() {
        return grpcInFlight.value();
    }

    /** Per request with the concurrency target: the begin and end the in-flight filter does. */
    @Benchmark
    public long countOneRequest() {
        InFlightTracker.Request r = tracker.begin();
        r.end();
        return tracker.accepted();
    }
}
