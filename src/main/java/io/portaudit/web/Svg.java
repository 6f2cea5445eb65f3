package io.portaudit.web;

import java.util.List;
import java.util.Locale;

/** Charts drawn on the server as inline SVG: numbers only, no script, nothing a device wrote. */
public final class Svg {
    private Svg() {}

    /** The points of a sparkline {@code w} × {@code h} over {@code values} (oldest first), for {@code <polyline points>}. */
    public static String points(List<Integer> values, double w, double h) {
        if (values.isEmpty()) return "";
        int max = Math.max(1, values.stream().mapToInt(Integer::intValue).max().orElse(1));
        StringBuilder sb = new StringBuilder();
        int n = values.size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? w / 2 : i * (w - 2) / (n - 1) + 1;
            double y = h - 1 - values.get(i) * (h - 2) / max;
            if (i > 0) sb.append(' ');
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return sb.toString();
    }

    /** One point of a chart, with its label for a tooltip. */
    public record Point(double x, double y, int value, String label) {}

    /** Points of the device chart ({@code w} × {@code h}, 30 px left margin for the axis, 20 px bottom). */
    static List<Point> chart(List<Integer> values, List<String> labels, double w, double h) {
        int max = Math.max(1, values.stream().mapToInt(Integer::intValue).max().orElse(1));
        int n = values.size();
        java.util.ArrayList<Point> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = 30 + (n == 1 ? (w - 40) / 2 : i * (w - 40) / (n - 1));
            double y = h - 20 - values.get(i) * (h - 30) / max;
            out.add(new Point(Math.round(x * 10) / 10.0, Math.round(y * 10) / 10.0, values.get(i), labels.get(i)));
        }
        return out;
    }

    public static String polyline(List<Point> points) {
        StringBuilder sb = new StringBuilder();
        for (Point p : points) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f", p.x(), p.y()));
        }
        return sb.toString();
    }
}
