package dev.readiness.bench.report;

/** How long the report runs: {@code QUICK} for a smoke run of a few minutes, {@code FULL} for the figures. */
public enum Mode {
    QUICK, FULL;

    /** The quick or the full value of a setting. */
    public int pick(int quick, int full) {
        return this == QUICK ? quick : full;
    }
}
