package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.dashboard.Dashboard;
import org.omomi.dashboard.Http;
import org.omomi.data.Csv;
import org.omomi.explain.Pca;
import org.omomi.tensor.Rng;

/**
 * The dashboard's view of a segmentation folder, over HTTP: generated customers segmented by
 * {@link Segmenter} and written by {@link SegmentFolder} into a runs folder; the view's tables are
 * profiles.csv cell for cell, its bars the feature weights largest first, and its points every
 * customer's first two principal components with their segment.
 */
class SegmentationViewTest {

    @TempDir
    static Path dir;

    static Dashboard server;
    static Http http;
    static Segmenter.Result result;
    static Path folder;

    @BeforeAll
    static void segmentAndServe() throws Exception {
        Csv.Table customers = Synthetic.customers(600, new Rng(21));
        result = Segmenter.run(customers, Segmenter.Options.defaults().withK(4).withSeed(3), null);
        folder = dir.resolve("runs").resolve("shoppers");
        SegmentFolder.write(folder, result, "customers.csv");
        Path old = dir.resolve("runs").resolve("older");
        SegmentFolder.write(old, result, "customers.csv");
        Files.delete(old.resolve(SegmentFolder.PROJECTION)); // as folders written before projection.csv
        server = Dashboard.start(Dashboard.Options.defaults().withPort(0).withRunsDir(dir.resolve("runs")));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(String run) {
        Http.Answer a = http.get("api/runs/" + run + "/views/segments");
        assertEquals(200, a.status(), a.body());
        return (List<Map<String, Object>>) a.json().get("blocks");
    }

    static List<Map<String, Object>> of(List<Map<String, Object>> blocks, String type) {
        return blocks.stream().filter(b -> type.equals(b.get("type"))).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFolderIsListedAsAFinishedSegmentationWithTheView() {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) http.get("api/runs").json().get("runs");
        Map<String, Object> s = runs.stream().filter(r -> "shoppers".equals(r.get("name"))).findFirst().orElseThrow();
        assertEquals("segment", s.get("kind"));
        assertEquals("finished", s.get("status"));
        assertEquals(4.0, ((Map<String, Object>) s.get("metrics")).get("k"), "summary.json's numbers are the list's metrics");
        List<Map<String, Object>> views = (List<Map<String, Object>>) http.get("api/runs/shoppers").json().get("views");
        assertTrue(views.stream().anyMatch(v -> "segments".equals(v.get("id"))), String.valueOf(views));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProfileTablesAreProfilesCsv() throws Exception {
        Csv.Table csv = Csv.read(folder.resolve("profiles.csv"));
        List<Map<String, Object>> all = blocks("shoppers");
        assertTrue(String.valueOf(all.get(0).get("text")).startsWith("4 segments of 600 customers (kmeans, "), String.valueOf(all.get(0)));
        List<Map<String, Object>> tables = of(all, "table");
        List<List<Object>> segments = (List<List<Object>>) tables.get(0).get("rows");
        assertEquals(4, segments.size());
        List<List<Object>> features = (List<List<Object>>) tables.get(1).get("rows");
        List<String> names = result.customers().features();
        assertEquals(names.size(), features.size(), "a row per feature");
        for (int s = 0; s < 4; s++) {
            String[] r = csv.rows().get(s);
            assertEquals(List.of(Double.parseDouble(r[0]), Double.parseDouble(r[1]), Double.parseDouble(r[2]), r[r.length - 1]), segments.get(s));
            assertEquals((double) result.profiles().get(s).size(), segments.get(s).get(1));
            for (int j = 0; j < names.size(); j++) {
                assertEquals(names.get(j), features.get(j).get(0));
                assertEquals(Double.parseDouble(r[csv.column(names.get(j) + " mean")]), features.get(j).get(1 + 2 * s));
                assertEquals(Double.parseDouble(r[csv.column(names.get(j) + " std")]), features.get(j).get(2 + 2 * s));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBarsAreTheFeatureWeightsLargestFirst() {
        Map<String, Object> bars = of(blocks("shoppers"), "bars").get(0);
        List<String> labels = (List<String>) bars.get("labels");
        List<Double> values = (List<Double>) bars.get("values");
        List<String> names = result.customers().features();
        assertEquals(names.size(), labels.size());
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(result.featureWeights()[names.indexOf(labels.get(i))], values.get(i), 0, labels.get(i));
            assertTrue(i == 0 || values.get(i) <= values.get(i - 1), "largest first: " + values);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePointsAreEveryCustomersProjectionColouredBySegment() {
        Map<String, Object> points = of(blocks("shoppers"), "points").get(0);
        Pca pca = Pca.fit(result.space(), 2);
        float[] p = pca.project(result.space()).toArray();
        List<Double> x = (List<Double>) points.get("x");
        List<Double> y = (List<Double>) points.get("y");
        List<String> group = (List<String>) points.get("group");
        assertEquals(600, x.size());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            // projection.csv holds the floats' shortest decimal forms
            assertEquals(Double.parseDouble(Float.toString(p[2 * i])), x.get(i), 0, "customer " + i);
            assertEquals(Double.parseDouble(Float.toString(p[2 * i + 1])), y.get(i), 0, "customer " + i);
            expected.add("segment " + result.segments()[i]);
        }
        assertEquals(expected, group);
        assertTrue(String.valueOf(points.get("x_label")).matches("PC1 \\(\\d+% of the variance\\)"), String.valueOf(points.get("x_label")));
    }

    @Test
    void aFolderWithoutProjectionCsvShowsItsPicture() {
        List<Map<String, Object>> b = blocks("older");
        assertEquals(List.of(), of(b, "points"));
        assertEquals("projection.png", of(b, "picture").get(0).get("file"));
        assertEquals(2, of(b, "table").size(), "the profiles still show");
    }
}
