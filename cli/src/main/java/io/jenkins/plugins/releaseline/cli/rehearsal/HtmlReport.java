package io.jenkins.plugins.releaseline.cli.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rehearsal's report: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched) with the
 * summary, a chart of the canary's weight on HAProxy over time, a chart of the error rate users saw per version
 * per second, and the full log.
 */
final class HtmlReport {

    private static final int W = 960;
    private static final int H = 260;
    private static final int LEFT = 50;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 40;
    /** Line colours, each dark enough to read on white (the first, for the version already running, is near black). */
    static final String[] PALETTE = {"#1f2937", "#dc2626", "#16a34a", "#2563eb", "#d97706", "#7c3aed"};
    /** Markers closer than this (in pixels) share one line and one label ("10-12"). */
    static final double MERGE_PX = 16;
    /** Labels closer than this (in pixels) go on alternate rows. */
    static final double LABEL_PX = 34;

    private HtmlReport() {}

    static void write(Path file, List<String> summary, List<String> log, List<Traffic.WeightSample> weights,
                      List<double[]> togglePercent, TreeMap<Long, Map<String, int[]>> counts, List<Rehearsal.Marker> markers) {
        double end = 1;
        for (Traffic.WeightSample w : weights) {
            end = Math.max(end, w.atSeconds());
        }
        if (!counts.isEmpty()) {
            end = Math.max(end, counts.lastKey() + 1);
        }
        for (Rehearsal.Marker m : markers) {
            end = Math.max(end, m.atSeconds());
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Release rehearsal</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1000px}")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
                .append("pre{background:#f6f8fa;padding:12px;font-size:12px;overflow-x:auto;white-space:pre-wrap}")
                .append(".summary{background:#f0fdf4;border:1px solid #bbf7d0;padding:12px;font-size:13px}")
                .append("svg text{font-family:system-ui,sans-serif;font-size:11px}")
                .append("ol.markers{font-size:12px;columns:2}")
                .append("</style></head><body>\n");
        html.append("<h1>Release rehearsal</h1>\n<pre class=\"summary\">");
        summary.forEach(line -> html.append(esc(line)).append('\n'));
        html.append("</pre>\n");

        html.append("<h2>Canary weight on HAProxy, and the toggle's share of users in prod</h2>\n");
        List<double[]> weightPoints = new ArrayList<>();
        for (Traffic.WeightSample w : weights) {
            weightPoints.add(new double[] {w.atSeconds(), w.canaryPercent()});
        }
        List<double[]> toggle = new ArrayList<>(togglePercent);
        if (!toggle.isEmpty()) {
            toggle.add(new double[] {end, toggle.get(toggle.size() - 1)[1]});
        }
        html.append(chart(end, 100, "%", List.of(new Series("canary weight (HAProxy)", "#2563eb", weightPoints, true),
                new Series("toggle " + Rehearsal.TOGGLE + " (prod)", "#d97706", toggle, true)), markers));

        html.append("<h2>Error rate seen by users, per version, per second</h2>\n");
        TreeSet<String> versions = new TreeSet<>();
        counts.values().forEach(m -> versions.addAll(m.keySet()));
        List<Series> series = new ArrayList<>();
        double maxRate = 0.05;
        int colour = 0;
        for (String v : versions) {
            List<double[]> pts = new ArrayList<>();
            for (Map.Entry<Long, Map<String, int[]>> e : counts.entrySet()) {
                int[] c = e.getValue().get(v);
                if (c != null && c[0] > 0) {
                    double rate = (double) c[1] / c[0];
                    maxRate = Math.max(maxRate, rate);
                    pts.add(new double[] {e.getKey() + 0.5, rate * 100});
                }
            }
            series.add(new Series("version " + v, PALETTE[colour++ % PALETTE.length], pts, false));
        }
        html.append(chart(end, Math.ceil(maxRate * 10) * 10, "%", series, markers));

        html.append("<h2>Moments marked on the charts</h2>\n<ol class=\"markers\">");
        for (Rehearsal.Marker m : markers) {
            html.append("<li>").append(String.format(Locale.ROOT, "%.1f s: ", m.atSeconds())).append(esc(m.label())).append("</li>");
        }
        html.append("</ol>\n<h2>Log</h2>\n<pre>");
        log.forEach(line -> html.append(esc(line)).append('\n'));
        html.append("</pre>\n</body></html>\n");
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the report " + file, e);
        }
    }

    private record Series(String name, String colour, List<double[]> points, boolean steps) {}

    private static String chart(double endSeconds, double maxY, String unit, List<Series> series, List<Rehearsal.Marker> markers) {
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                W, H + 20, W, H + 20));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\" stroke=\"#d1d5db\"/>", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = TOP + plotH - plotH * i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, LEFT + plotW, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>", LEFT - 4, y + 4, trim(v), unit));
        }
        int tick = endSeconds > 120 ? 20 : 10;
        for (int s = 0; s <= endSeconds; s += tick) {
            double x = LEFT + plotW * s / endSeconds;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%ds</text>", x, TOP + plotH + 14, s));
        }
        int row = 0;
        double lastLabelX = -1000;
        for (MarkerGroup g : groups(markers, endSeconds, plotW)) {
            row = g.x() - lastLabelX < LABEL_PX ? (row + 1) % 2 : 0;
            lastLabelX = g.x();
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\" stroke=\"#9ca3af\" stroke-dasharray=\"3,3\"/>",
                    g.x(), g.x(), TOP, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#374151\">%s</text>", g.x(),
                    TOP - 4 - 12 * row, g.label()));
        }
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            double prevY = Double.NaN;
            for (double[] p : s.points()) {
                double x = LEFT + plotW * Math.min(p[0], endSeconds) / endSeconds;
                double y = TOP + plotH - plotH * Math.min(p[1], maxY) / maxY;
                if (s.steps() && !Double.isNaN(prevY)) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, prevY));
                }
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                prevY = y;
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.colour()).append("\" points=\"")
                    .append(pts.toString().strip()).append("\"/>");
        }
        int lx = LEFT;
        for (Series s : series) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>", lx, H + 6, s.colour()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", lx + 16, H + 11, esc(s.name())));
            lx += 30 + 7 * s.name().length();
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Markers that share a line on the chart: numbers {@code first..last} (1-based), drawn at {@code x}. */
    record MarkerGroup(int first, int last, double x) {
        String label() {
            return first == last ? String.valueOf(first) : first + "\u2013" + last;
        }
    }

    /** Groups markers closer than {@link #MERGE_PX} to the first of their group, so that no two labels stack. */
    static List<MarkerGroup> groups(List<Rehearsal.Marker> markers, double endSeconds, double plotW) {
        List<MarkerGroup> groups = new ArrayList<>();
        for (int i = 0; i < markers.size(); i++) {
            double x = LEFT + plotW * markers.get(i).atSeconds() / endSeconds;
            MarkerGroup last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && x - last.x() < MERGE_PX) {
                groups.set(groups.size() - 1, new MarkerGroup(last.first(), i + 1, last.x()));
            } else {
                groups.add(new MarkerGroup(i + 1, i + 1, x));
            }
        }
        return groups;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
