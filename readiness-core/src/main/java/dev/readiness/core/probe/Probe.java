package dev.readiness.core.probe;

/** The three Kubernetes probes. */
public enum Probe {
    /** Has the application finished starting? Until it has, Kubernetes holds off the other probes. */
    STARTUP("startupz"),
    /** Is the process able to make progress? DOWN means a restart would cure it. In-process checks only. */
    LIVENESS("livez"),
    /** Should the pod receive traffic now? */
    READINESS("readyz");

    private final String path;

    Probe(String path) {
        this.path = path;
    }

    /** The conventional HTTP path, without the leading slash: {@code livez}, {@code readyz}, {@code startupz}. */
    public String path() {
        return path;
    }

    /** The lower-case name used in metrics tags and JSON. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
