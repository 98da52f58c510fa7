package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;

/** {@code omomi inspect} and {@code omomi explain} on an image run and a CSV run. */
class ExplainCliTest {

    @TempDir
    static Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCnnRunGetsAReportAndItsPredictionsAreExplained() throws IOException {
        Path data = ImageCliTest.bands(dir.resolve("fm"));
        Path runDir = dir.resolve("cnn");
        Run t = run("train", "--model", "cnn", "--data", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "4",
                "--batch-size", "16", "--lr", "3e-3", "--val-split", "0.25", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());

        Run i = run("inspect", runDir.toString());
        assertEquals(0, i.code(), i.err());
        Path report = runDir.resolve("report");
        String html = Files.readString(report.resolve("index.html"));
        for (String png : List.of("loss.png", "metrics.png", "grad-norm.png", "update-ratio.png", "dead-relu.png", "filters.png",
                "weights-1.weight-histograms.png", "weights-1.weight-percentiles.png", "gradcam-3.png", "ig-3.png")) {
            assertTrue(Files.size(report.resolve(png)) > 1000, png);
            assertTrue(html.contains("(" + png + ")"), png + " is in the report");
        }
        assertFalse(html.contains("src=\"http"), "self-contained: nothing is fetched");
        assertTrue(html.split("data:image/png;base64,").length > 20, "figures are embedded");

        Path out = dir.resolve("explained");
        Run e = run("explain", runDir.toString(), "--input", "test:3", "--method", "ig,gradcam,saliency,smoothgrad",
                "--data-dir", data.toString(), "--steps", "300", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> ig = (Map<String, Object>) Json.parse(Files.readString(out.resolve("test-3-ig.json")));
        assertEquals("integrated_gradients", ig.get("method"));
        assertEquals("logit", ig.get("output"));
        assertEquals(784, ((List<Object>) ig.get("attributions")).size());
        double delta = (Double) ig.get("delta");
        double change = (Double) ig.get("f_x") - (Double) ig.get("f_baseline");
        assertTrue(Math.abs(delta) <= 0.05 * Math.abs(change), "δ " + delta + " vs ΔF " + change);
        assertEquals(3.0, ((Map<String, Object>) ig.get("prediction")).get("class"), "the bands are learned");
        // Test image 3 is class 3: its bright band is rows 10–12. Grad-CAM's heat lies on the band's rows.
        Map<String, Object> cam = (Map<String, Object>) Json.parse(Files.readString(out.resolve("test-3-gradcam.json")));
        List<Object> map = (List<Object>) cam.get("attributions");
        double inBand = 0;
        double total = 0;
        for (int p = 0; p < 784; p++) {
            double v = ((Number) map.get(p)).doubleValue();
            total += v;
            inBand += (p / 28 >= 8 && p / 28 < 15) ? v : 0;
        }
        assertTrue(total > 0 && inBand / total > 0.25 / 1, "Grad-CAM's share on the band's rows (25% of the image): " + inBand / total);
        for (String m : List.of("ig", "gradcam", "saliency", "smoothgrad")) {
            assertTrue(Files.size(out.resolve("test-3-" + m + ".png")) > 1000, m);
        }

        // A PNG of our own: the band of class 5, drawn white on black as Fashion-MNIST's images are.
        java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 14; y < 17; y++) {
            for (int x = 0; x < 28; x++) {
                png.getRaster().setSample(x, y, 0, 220);
            }
        }
        Path band = dir.resolve("band5.png");
        org.omomi.explain.plot.Png.write(png, band);
        Run fromPng = run("explain", runDir.toString(), "--input", band.toString(), "--method", "gradcam", "--out", out.toString());
        assertEquals(0, fromPng.code(), fromPng.err());
        Map<String, Object> pngCam = (Map<String, Object>) Json.parse(Files.readString(out.resolve("band5-gradcam.json")));
        assertEquals(5.0, ((Map<String, Object>) pngCam.get("prediction")).get("class"), "a band in rows 14–16 is class 5");
        Path small = dir.resolve("small.png");
        org.omomi.explain.plot.Png.write(new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), small);
        Run wrongSize = run("explain", runDir.toString(), "--input", small.toString(), "--out", out.toString());
        assertEquals(1, wrongSize.code());
        assertTrue(wrongSize.err().contains("20×20 pixels; the model needs 28×28 grey images"), wrongSize.err());

        Run bad = run("explain", runDir.toString(), "--input", "test:999", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(1, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("out of range, there are 32"), bad.err());
        Run badMethod = run("explain", runDir.toString(), "--input", "test:1", "--method", "lime", "--out", out.toString());
        assertTrue(badMethod.err().contains("unknown method 'lime'"), badMethod.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCsvRunsImportanceRanksTheFeatureThatMattersFirst() throws IOException {
        Path csv = TrainCliTest.clicks(dir.resolve("clicks.csv"));
        Path runDir = dir.resolve("clicks");
        Run t = run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--epochs", "10",
                "--batch-size", "32", "--optimizer", "adam", "--lr", "0.05", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        Path out = dir.resolve("clicks-explained");
        Run e = run("explain", runDir.toString(), "--input", "all,row:0", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> imp = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(out.resolve("importance.json")))).get("importance");
        String top = imp.entrySet().stream().max((a, b) -> Double.compare((Double) a.getValue(), (Double) b.getValue())).orElseThrow().getKey();
        assertEquals("interest", top, "interest match drives clicks in the generated data: " + imp);
        Map<String, Object> row = (Map<String, Object>) Json.parse(Files.readString(out.resolve("row-0-ig.json")));
        Map<String, Object> byColumn = (Map<String, Object>) row.get("attributions_by_column");
        assertTrue(byColumn.containsKey("device=mobile"), byColumn.keySet().toString());
        double delta = (Double) row.get("delta");
        assertTrue(Math.abs(delta) < 1e-4, "a logistic regression's logit is linear: IG is exact, δ = " + delta);

        Run i = run("inspect", runDir.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(Files.size(runDir.resolve("report/importance.png")) > 1000);
        assertTrue(Files.size(runDir.resolve("report/network.png")) > 1000, "a logistic regression is a small dense network");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRegressionModelExplainsItsPredictedValue() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,noise,y\n");
        org.omomi.tensor.Rng rng = new org.omomi.tensor.Rng(4);
        for (int i = 0; i < 600; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble();
            double noise = rng.nextDouble();
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f%n", a, b, noise, 3 * a - b));
        }
        Path csv = dir.resolve("reg.csv");
        Files.writeString(csv, sb.toString());
        Path runDir = dir.resolve("reg");
        Run t = run("train", "--model", "logreg", "--data", csv.toString(), "--target", "y", "--epochs", "30", "--optimizer", "adam",
                "--lr", "0.05", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        Path out = dir.resolve("reg-explained");
        Run e = run("explain", runDir.toString(), "--input", "row:0,all", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> row = (Map<String, Object>) Json.parse(Files.readString(out.resolve("row-0-ig.json")));
        assertEquals("value", row.get("output"), "F of a regression model is its predicted value, not a logit");
        Map<String, Object> imp = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(out.resolve("importance.json")))).get("importance");
        assertTrue((Double) imp.get("a") > (Double) imp.get("b") && (Double) imp.get("b") > 10 * (Double) imp.get("noise"), imp.toString());
        Run p = run("explain", runDir.toString(), "--input", "row:0", "--output", "probability", "--out", out.toString());
        assertTrue(p.err().contains("is a regression model"), p.err());
    }
}
