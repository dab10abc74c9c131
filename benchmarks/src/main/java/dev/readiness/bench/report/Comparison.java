package dev.readiness.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One figure measured for several variants in the same run: at most one anchor and the variants compared with
 * it. Immutable; each {@code anchor}/{@code variant} call returns a new comparison.
 *
 * @param figure what is measured, e.g. "probe latency p50"
 * @param unit   e.g. "ms", "requests/s"
 * @param better which direction wins
 * @param series the variants, in the order the table and chart show them
 * @param chart  whether the report draws this comparison as a PNG chart
 */
public record Comparison(String figure, String unit, Better better, List<Series> series, boolean chart) {

    public Comparison {
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
        series = List.copyOf(series);
        if (series.stream().filter(Series::anchor).count() > 1) {
            throw new IllegalArgumentException("a comparison has at most one anchor: " + figure);
        }
    }

    public static Comparison lowerIsBetter(String figure, String unit) {
        return new Comparison(figure, unit, Better.LOWER, List.of(), false);
    }

    public static Comparison higherIsBetter(String figure, String unit) {
        return new Comparison(figure, unit, Better.HIGHER, List.of(), false);
    }

    /** The anchor, measured in this run. */
    public Comparison anchor(String variant, Collection<? extends Number> values) {
        return with(new Series(variant, true, true, doubles(values)));
    }

    /** An anchor from its documentation (not measured here): one value, flagged as such in the report. */
    public Comparison documentedAnchor(String variant, double value) {
        return with(new Series(variant, true, false, List.of(value)));
    }

    public Comparison variant(String variant, Collection<? extends Number> values) {
        return with(new Series(variant, false, true, doubles(values)));
    }

    public Comparison charted() {
        return new Comparison(figure, unit, better, series, true);
    }

    public Optional<Series> anchorSeries() {
        return series.stream().filter(Series::anchor).findFirst();
    }

    /** Median of {@code s} over the anchor's median; empty without an anchor or when the anchor's median is 0. */
    public OptionalDouble ratioToAnchor(Series s) {
        return anchorSeries().filter(a -> a.stats().median() != 0)
                .map(a -> OptionalDouble.of(s.stats().median() / a.stats().median()))
                .orElse(OptionalDouble.empty());
    }

    private Comparison with(Series s) {
        if (series.stream().anyMatch(x -> x.variant().equals(s.variant()))) {
            throw new IllegalArgumentException("variant " + s.variant() + " twice in " + figure);
        }
        List<Series> all = new ArrayList<>(series);
        all.add(s);
        return new Comparison(figure, unit, better, all, chart);
    }

    private static List<Double> doubles(Collection<? extends Number> values) {
        return values.stream().map(Number::doubleValue).toList();
    }
}
