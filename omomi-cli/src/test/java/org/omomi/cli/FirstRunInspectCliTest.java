package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first runs: one epoch of the CNN, and a logistic regression on a CSV file, each
 * followed by {@code omomi inspect}, which must write its report with every picture (one epoch
 * once failed with "image size 820x94 is below the minimum").
 */
class FirstRunInspectCliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void oneEpochOfTheCnnThenInspect() throws IOException {
        Path data = ImageCliTest.bands(dir.resolve("fm"));
        Path runDir = dir.resolve("cnn");
        Run t = run("train", "--model", "cnn", "--data", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "1",
                "--batch-size", "32", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        Run i = run("inspect", runDir.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("wrote " + runDir.resolve("report").resolve("index.html")), i.out());
        assertTrue(i.out().startsWith("warning: this model did not converge (the validation loss was still improving"), i.out());
        assertReport(runDir.resolve("report"), List.of("loss.png", "metrics.png", "filters.png", "grad-norm.png",
                "weights-1.weight-histograms.png", "weights-1.weight-percentiles.png", "gradcam-0.png", "ig-0.png"));
    }

    @Test
    void aCsvLogisticRegressionThenInspect() throws IOException {
        Path csv = TrainCliTest.clicks(dir.resolve("clicks.csv"));
        for (String epochs : new String[] {"1", "3"}) {
            Path runDir = dir.resolve("logreg-" + epochs);
            Run t = run("train", "--model", "logreg", "--data", csv.toString(), "--target", "clicked", "--epochs", epochs,
                    "--out", runDir.toString());
            assertEquals(0, t.code(), t.err());
            Run i = run("inspect", runDir.toString());
            assertEquals(0, i.code(), i.err());
            assertReport(runDir.resolve("report"), List.of("loss.png", "metrics.png", "weights-0.weight-histograms.png",
                    "network.png", "importance.png"));
        }
    }

    /** The named pictures are there; every PNG decodes, is not one flat colour and is referenced by index.html. */
    private static void assertReport(Path report, List<String> expected) throws IOException {
        String html = Files.readString(report.resolve("index.html"));
        for (String png : expected) {
            assertTrue(Files.isRegularFile(report.resolve(png)), png + " missing");
        }
        try (Stream<Path> files = Files.list(report)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                String name = p.getFileName().toString();
                BufferedImage img = ImageIO.read(p.toFile());
                assertNotNull(img, name + " does not decode");
                int first = img.getRGB(0, 0);
                boolean flat = true;
                for (int y = 0; y < img.getHeight() && flat; y++) {
                    for (int x = 0; x < img.getWidth() && flat; x++) {
                        flat = img.getRGB(x, y) == first;
                    }
                }
                assertTrue(!flat, name + " is one flat colour");
                assertTrue(html.contains("(" + name + ")"), name + " is not referenced by index.html");
            }
        }
    }
}
