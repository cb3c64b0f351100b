package dev.paper2code.training.history;

import dev.paper2code.retrieval.evaluation.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code training_curves.svg}: the epochs of a run drawn as two charts, losses (train and val) and
 * retrieval metrics (Recall@1/5/10, MRR@10 on a 0-1 axis), so that someone with only a checkpoint
 * directory sees the curves in any browser or file viewer. Plain SVG 1.1 text, no script, no external
 * resource; epochs without a value (NaN) leave a gap in their line.
 */
public final class TrainingCurvesSvg {
    public static final String FILE_NAME = "training_curves.svg";

    static final int WIDTH = 720;
    static final int CHART_HEIGHT = 260;
    static final int LEFT = 60;
    static final int RIGHT = 150;
    static final int TOP = 40;
    static final int BOTTOM = 40;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};

    private TrainingCurvesSvg() {
    }

    /** A line of one chart: its legend label and its value per epoch. */
    private record Series(String label, ToDoubleFunction<EpochResult> value) {
    }

    public static String render(String runId, List<EpochResult> epochs) {
        StringBuilder svg = new StringBuilder();
        int height = 2 * (TOP + CHART_HEIGHT + BOTTOM);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        if (epochs.isEmpty()) {
            svg.append(text(WIDTH / 2.0, height / 2.0, "middle", "14", escape(runId) + ": no epoch finished yet"));
            return svg.append("</svg>\n").toString();
        }
        List<Series> losses = List.of(new Series("train loss", EpochResult::trainLoss),
                new Series("val loss", EpochResult::valLoss));
        List<Series> metrics = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric != Metric.VAL_LOSS) {
                metrics.add(new Series(metric.key(), e -> e.metric(metric)));
            }
        }
        chart(svg, 0, escape(runId) + ": loss per epoch", epochs, losses, null);
        chart(svg, TOP + CHART_HEIGHT + BOTTOM, escape(runId) + ": retrieval on val papers per epoch", epochs, metrics,
                new double[] {0, 1});
        return svg.append("</svg>\n").toString();
    }

    /** One chart whose plot area starts {@code offset} pixels down; {@code fixedRange} null = fit the values. */
    private static void chart(StringBuilder svg, int offset, String title, List<EpochResult> epochs, List<Series> series,
                              double[] fixedRange) {
        double[] range = fixedRange != null ? fixedRange : range(epochs, series);
        int plotTop = offset + TOP;
        int plotWidth = WIDTH - LEFT - RIGHT;
        svg.append(text(LEFT, offset + TOP - 14, "start", "14", title));
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, plotTop, plotWidth, CHART_HEIGHT));
        for (int tick = 0; tick <= 4; tick++) {
            double value = range[0] + (range[1] - range[0]) * tick / 4;
            double y = y(value, range, plotTop);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotWidth, y));
            svg.append(text(LEFT - 6, y + 4, "end", "11", format(value)));
        }
        int first = epochs.get(0).epoch();
        int last = epochs.get(epochs.size() - 1).epoch();
        for (EpochResult epoch : epochs) {
            double x = x(epoch.epoch(), first, last);
            svg.append(text(x, plotTop + CHART_HEIGHT + 16, "middle", "11", Integer.toString(epoch.epoch())));
        }
        svg.append(text(LEFT + plotWidth / 2.0, plotTop + CHART_HEIGHT + 32, "middle", "11", "epoch"));
        for (int i = 0; i < series.size(); i++) {
            Series line = series.get(i);
            String color = COLORS[i % COLORS.length];
            List<String> points = new ArrayList<>();
            for (EpochResult epoch : epochs) {
                double value = line.value().applyAsDouble(epoch);
                if (Double.isNaN(value)) {
                    polyline(svg, points, color, line.label());
                    points = new ArrayList<>();
                    continue;
                }
                double x = x(epoch.epoch(), first, last);
                double y = y(value, range, plotTop);
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                svg.append(String.format(Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s, epoch %d: %s</title></circle>%n",
                        x, y, color, escape(line.label()), epoch.epoch(), format(value)));
            }
            polyline(svg, points, color, line.label());
            double legendY = plotTop + 14 + 18 * i;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    WIDTH - RIGHT + 12, legendY - 4, WIDTH - RIGHT + 32, legendY - 4, color));
            svg.append(text(WIDTH - RIGHT + 38, legendY, "start", "12", escape(line.label())));
        }
    }

    private static void polyline(StringBuilder svg, List<String> points, String color, String label) {
        if (points.size() > 1) {
            svg.append(String.format(Locale.ROOT,
                    "<polyline class=\"series\" data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    escape(label), String.join(" ", points), color));
        }
    }

    /** The values' range with 5 % headroom; a flat line gets a unit-wide range around it. */
    private static double[] range(List<EpochResult> epochs, List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (EpochResult epoch : epochs) {
                double value = line.value().applyAsDouble(epoch);
                if (!Double.isNaN(value) && !Double.isInfinite(value)) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        if (max - min < 1e-9) {
            return new double[] {min - 0.5, max + 0.5};
        }
        double pad = (max - min) * 0.05;
        return new double[] {Math.max(0, min - pad), max + pad};
    }

    static double x(int epoch, int first, int last) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        return last == first ? LEFT + plotWidth / 2.0 : LEFT + plotWidth * (epoch - first) / (double) (last - first);
    }

    private static double y(double value, double[] range, int plotTop) {
        double share = (value - range[0]) / (range[1] - range[0]);
        return plotTop + CHART_HEIGHT * (1 - Math.max(0, Math.min(1, share)));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.3f", value);
    }

    private static String text(double x, double y, String anchor, String size, String escapedContent) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%s\">%s</text>%n",
                x, y, anchor, size, escapedContent);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
