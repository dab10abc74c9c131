package dev.readiness.bench.report;

/** Which direction of a figure is the good one, so the report can say who wins. */
public enum Better {
    LOWER, HIGHER
}
