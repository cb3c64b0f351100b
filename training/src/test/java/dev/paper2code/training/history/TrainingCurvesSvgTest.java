package dev.paper2code.training.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TrainingCurvesSvgTest {

    private static EpochResult epoch(int epoch, double train, double val, double recallAt1, double mrr) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("recall@1", recallAt1);
        metrics.put("recall@5", Math.min(1, recallAt1 + 0.2));
        metrics.put("recall@10", Math.min(1, recallAt1 + 0.3));
        metrics.put("mrr@10", mrr);
        return new EpochResult(epoch, epoch * 10L, train, val, metrics, 67, 15, 50, 3);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The polyline of a series as [x, y] pairs. */
    private static double[][] points(Document document, String series) {
        NodeList lines = document.getElementsByTagName("polyline");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.getAttribute("data-series").equals(series)) {
                String[] pairs = line.getAttribute("points").split(" ");
                double[][] points = new double[pairs.length][];
                for (int j = 0; j < pairs.length; j++) {
                    String[] xy = pairs[j].split(",");
                    points[j] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
                }
                return points;
            }
        }
        throw new AssertionError("no polyline for " + series);
    }

    @Test
    void everySeriesIsALineWithAPointPerEpochAtItsValue() throws Exception {
        List<EpochResult> history = List.of(epoch(1, 2.0, 1.8, 0.1, 0.2), epoch(2, 1.2, 1.1, 0.3, 0.4),
                epoch(3, 0.8, 1.0, 0.5, 0.6));
        Document svg = parse(TrainingCurvesSvg.render("run-1", history));
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        for (String series : List.of("train loss", "val loss", "recall@1", "recall@5", "recall@10", "mrr@10")) {
            assertEquals(3, points(svg, series).length, series);
        }
        double[][] train = points(svg, "train loss");
        assertTrue(train[0][0] < train[1][0] && train[1][0] < train[2][0], "epochs go left to right");
        assertTrue(train[0][1] < train[1][1] && train[1][1] < train[2][1], "a falling loss goes down the chart (SVG y grows downwards)");
        double[][] recall = points(svg, "recall@1");
        assertTrue(recall[2][1] < recall[0][1], "a rising metric goes up");
        // The metrics' axis is 0 to 1 whatever the values: 0.5 sits halfway between 0.1 and 0.9 of the plot.
        double bottom = TrainingCurvesSvg.TOP + TrainingCurvesSvg.CHART_HEIGHT + TrainingCurvesSvg.BOTTOM
                + TrainingCurvesSvg.TOP + TrainingCurvesSvg.CHART_HEIGHT;
        assertEquals(bottom - 0.5 * TrainingCurvesSvg.CHART_HEIGHT, recall[2][1], 0.05);
    }

    @Test
    void metricsOfEqualValueAreDrawnAtTheSameHeight() throws Exception {
        List<EpochResult> history = List.of(epoch(1, 2.0, 1.8, 0.4, 0.4), epoch(2, 1.2, 1.1, 0.6, 0.6));
        Document svg = parse(TrainingCurvesSvg.render("run-1", history));
        assertEquals(points(svg, "recall@1")[0][1], points(svg, "mrr@10")[0][1], 1e-9);
        assertEquals(points(svg, "recall@1")[1][1], points(svg, "mrr@10")[1][1], 1e-9);
    }

    @Test
    void anEpochWithoutAValueLeavesAGapAndOddNamesAreEscaped() throws Exception {
        List<EpochResult> history = List.of(epoch(1, 2.0, 1.8, 0.1, 0.2), epoch(2, 1.5, Double.NaN, 0.2, 0.3),
                epoch(3, 1.2, 1.4, 0.3, 0.4), epoch(4, 1.0, 1.2, 0.4, 0.5));
        String text = TrainingCurvesSvg.render("run <&> \"x\"", history);
        Document svg = parse(text);
        assertEquals(4, points(svg, "train loss").length);
        assertEquals(2, points(svg, "val loss").length, "the line resumes after the missing epoch (a lone point has no line)");
        assertTrue(text.contains("run &lt;&amp;&gt; &quot;x&quot;"), "the run id is escaped");
    }

    @Test
    void aRunWithoutEpochsOrWithOneStillDraws() throws Exception {
        Document empty = parse(TrainingCurvesSvg.render("run-0", List.of()));
        assertTrue(empty.getDocumentElement().getTextContent().contains("no epoch finished yet"));
        Document one = parse(TrainingCurvesSvg.render("run-1", List.of(epoch(1, 2.0, 2.0, 0.1, 0.2))));
        assertEquals(0, one.getElementsByTagName("polyline").getLength(), "one point per series, no line");
        assertEquals(6, one.getElementsByTagName("circle").getLength());
    }
}
