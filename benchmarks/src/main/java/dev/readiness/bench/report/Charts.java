package dev.readiness.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws a comparison as a PNG with XChart: a bar per variant at its median, the anchor named as such, and the
 * smallest and largest repetition as markers on the bar, so the spread is seen with the median. A logarithmic
 * axis when the medians are more than {@value #LOG_SCALE_ABOVE} times apart (a hung probe against a cached
 * one), because a linear axis would draw the faster variant as nothing.
 */
final class Charts {

    static final double LOG_SCALE_ABOVE = 30;
    private static final Color OURS = new Color(0x2E, 0x7D, 0x32);

    private Charts() {
    }

    /** File name of a comparison's chart: {@code <section>-<figure>.png}, lower case, dashes only. */
    static String fileName(Section section, Comparison c) {
        String slug = c.figure().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return section.id() + "-" + slug + ".png";
    }

    static void write(Comparison c, Path png) throws IOException {
        List<String> names = c.series().stream()
                .map(s -> s.anchor() ? s.variant() + (s.measured() ? " (anchor)" : " (anchor, documented)")
                        : s.variant()).toList();
        List<Double> medians = c.series().stream().map(s -> s.stats().median()).toList();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(380)
                .title(c.figure() + " (" + (c.better() == Better.LOWER ? "lower" : "higher") + " is better)")
                .yAxisTitle(c.unit()).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.OutsideE)
                .setLegendVisible(true);
        chart.getStyler().setOverlapped(true).setLabelsVisible(false).setXAxisMaxLabelCount(names.size());
        chart.getStyler().setAvailableSpaceFill(0.55).setPlotGridVerticalLinesVisible(false);
        // about 90 px of label per bar fit side by side; longer names are tilted so they do not run together
        if (names.stream().mapToInt(String::length).max().orElse(0) * 7 > 760 / Math.max(1, names.size())) {
            chart.getStyler().setXAxisLabelRotation(12);
        }
        double lo = medians.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(0);
        double hi = medians.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        boolean log = medians.stream().allMatch(m -> m > 0) && hi / lo > LOG_SCALE_ABOVE;
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setTitle(chart.getTitle() + ", log scale");
            chart.getStyler().setDecimalPattern("#,##0.###");
            // bars start at the axis minimum, which XChart puts at 0 unless told: a decade below the smallest value
            double smallest = c.series().stream().mapToDouble(s -> s.stats().min()).filter(v -> v > 0).min().orElse(lo);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.min(lo, smallest)))));
        } else {
            chart.getStyler().setDecimalPattern(pattern(medians));
            chart.getStyler().setYAxisMin(0.0);
        }
        styler.setSeriesColors(new Color[] {OURS, Color.BLACK, Color.BLACK});
        // XChart colours by series, not by bar, and a second bar series would need zeros a log axis refuses:
        // the anchor is named on its bar instead
        CategorySeries bars = chart.addSeries("median", names, medians);
        bars.setFillColor(OURS);
        if (c.series().stream().anyMatch(s -> s.stats().n() > 1)) {
            // a log axis cannot show a minimum of 0 (an update seen before the clock was read): the table has it
            boolean mins = !log || c.series().stream().allMatch(s -> s.stats().min() > 0);
            if (mins) {
                CategorySeries min = chart.addSeries("min", names,
                        c.series().stream().map(s -> s.stats().min()).toList());
                min.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                min.setMarker(SeriesMarkers.TRIANGLE_UP).setMarkerColor(Color.BLACK);
            }
            CategorySeries max = chart.addSeries("max", names, c.series().stream().map(s -> s.stats().max()).toList());
            max.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            max.setMarker(SeriesMarkers.TRIANGLE_DOWN).setMarkerColor(Color.BLACK);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String pattern(List<Double> values) {
        double max = values.stream().mapToDouble(Math::abs).max().orElse(0);
        return max >= 100 ? "#,##0" : max >= 1 ? "#,##0.#" : "#,##0.###";
    }
}
