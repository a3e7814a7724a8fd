package io.jenkins.plugins.releaseline.cli.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's charts stay readable: moments close in time share one label, every line is dark enough on white. */
class HtmlReportTest {

    @TempDir
    Path folder;

    @Test
    void momentsCloseInTimeShareOneLabelInsteadOfStacking() throws Exception {
        List<Rehearsal.Marker> markers = List.of(new Rehearsal.Marker(5, "2.0 promoted"), new Rehearsal.Marker(30, "freeze pulled"),
                new Rehearsal.Marker(30.2, "freeze released"), new Rehearsal.Marker(60, "3.0 canary"),
                new Rehearsal.Marker(60.3, "3.0 succeeded"), new Rehearsal.Marker(60.5, "3.0 stable"), new Rehearsal.Marker(100, "end"));
        Path file = folder.resolve("report.html");
        HtmlReport.write(file, List.of("summary"), List.of("log"), List.of(new Traffic.WeightSample(0, 0), new Traffic.WeightSample(100, 0)),
                List.of(), counts(), markers);
        String html = Files.readString(file);
        List<String> labels = markerLabels(html);
        assertThat(labels).as("each chart: one label per group of close moments")
                .containsExactly("1", "2\u20133", "4\u20136", "7", "1", "2\u20133", "4\u20136", "7");
        assertThat(html).contains("60.3 s: 3.0 succeeded");
    }

    @Test
    void theVersionAlreadyRunningIsDrawnDarkEnoughToSee() throws Exception {
        Path file = folder.resolve("report.html");
        HtmlReport.write(file, List.of("summary"), List.of("log"), List.of(), List.of(), counts(), List.of());
        String html = Files.readString(file);
        Matcher m = Pattern.compile("fill=\"(#[0-9a-f]{6})\"/><text[^>]*>version 1\\.0<").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        assertThat(contrastOnWhite(m.group(1))).as("contrast of %s on white", m.group(1)).isGreaterThanOrEqualTo(7.0);
        for (String colour : HtmlReport.PALETTE) {
            assertThat(contrastOnWhite(colour)).as("contrast of %s on white", colour).isGreaterThanOrEqualTo(3.0);
        }
    }

    private static TreeMap<Long, Map<String, int[]>> counts() {
        TreeMap<Long, Map<String, int[]>> counts = new TreeMap<>();
        for (long s = 0; s < 100; s++) {
            counts.put(s, Map.of("1.0", new int[] {50, 0}, "2.0", new int[] {10, 3}));
        }
        return counts;
    }

    private static List<String> markerLabels(String html) {
        Matcher m = Pattern.compile("<text x=\"[0-9.]+\" y=\"[0-9]+\" text-anchor=\"middle\" fill=\"#[0-9a-f]{6}\">([^<]+)</text>").matcher(html);
        List<String> labels = new java.util.ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    /** WCAG contrast ratio of a colour against white. */
    static double contrastOnWhite(String hex) {
        double l = 0;
        double[] weights = {0.2126, 0.7152, 0.0722};
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            c = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
            l += weights[i] * c;
        }
        return 1.05 / (l + 0.05);
    }
}
