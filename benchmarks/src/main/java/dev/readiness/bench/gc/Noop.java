package dev.readiness.bench.gc;

/** An empty main: the JVM's own start time, to which {@link GcTuningBenchmark} compares the entrypoint's. */
public final class Noop {

    public static void main(String[] args) {
        // nothing: only the start is measured
    }
}
