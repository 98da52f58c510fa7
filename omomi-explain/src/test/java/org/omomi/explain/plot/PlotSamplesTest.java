package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Writes one example of each chart to {@code target/plot-samples/} for a person to look at (the
 * other tests check pixels; only an eye can judge spacing and legibility), from made-up but
 * realistic data: training curves, attributions, weight histograms, filters, a Grad-CAM-like map and
 * a small network.
 */
class PlotSamplesTest {

    static final Path DIR = Path.of("target", "plot-samples");

    @Test
    void writesOneSampleOfEachChart() throws IOException {
        Random rng = new Random(42);
        write("line.png", trainingCurves(rng).render(800, 500), 800, 500);
        write("line-log.png", learningRate().render(800, 500), 800, 500);
        write("bar-signed.png", attributions().render(800, 500), 800, 500);
        write("bar-importance.png", importances(rng).render(700, 700), 700, 700);
        write("ridge.png", weightHistograms(rng).render(800, 600), 800, 600);
        BufferedImage filters = filters(rng).render();
        write("filters.png", filters, filters.getWidth(), filters.getHeight());
        BufferedImage maps = featureMaps(rng).render();
        write("feature-maps.png", maps, maps.getWidth(), maps.getHeight());
        BufferedImage cam = gradCam();
        write("overlay.png", cam, cam.getWidth(), cam.getHeight());
        write("network.png", network(rng).render(800, 500), 800, 500);
    }

    private static void write(String name, BufferedImage img, int w, int h) throws IOException {
        Path file = DIR.resolve(name);
        Png.write(img, file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(w, back.getWidth(), name);
        assertEquals(h, back.getHeight(), name);
        assertTrue(Files.size(file) > 1000, name + " is suspiciously small");
    }

    static LineChart trainingCurves(Random rng) {
        int n = 40;
        double[] epoch = new double[n];
        double[] train = new double[n];
        double[] val = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = i + 1;
            double base = 0.25 + 2.0 * Math.exp(-i / 6.0);
            train[i] = base + 0.03 * rng.nextGaussian();
            val[i] = base + 0.08 + 0.004 * Math.max(0, i - 20) + 0.03 * rng.nextGaussian();
            double spread = 0.05 + 0.25 * Math.exp(-i / 8.0);
            lo[i] = train[i] - spread;
            hi[i] = train[i] + spread;
        }
        val[17] = Double.NaN; // a missing evaluation breaks the line
        return new LineChart("Training loss", "epoch", "cross-entropy loss")
                .band("batch loss min–max", epoch, lo, hi, 0)
                .series("train", epoch, train)
                .series("validation", epoch, val, true);
    }

    static LineChart learningRate() {
        int n = 300;
        double[] step = new double[n];
        double[] lr = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            step[i] = i * 50;
            double warm = Math.min(1, (i + 1) / 30.0);
            lr[i] = 1e-5 + 3e-3 * warm * 0.5 * (1 + Math.cos(Math.PI * i / n));
            loss[i] = 2.3 * Math.exp(-i / 40.0) + 0.02;
        }
        return new LineChart("One-cycle schedule", "step", "value (log scale)")
                .logY(true)
                .series("learning rate", step, lr)
                .series("loss", step, loss);
    }

    static BarChart attributions() {
        String[] names = {"petal length", "petal width", "sepal length", "sepal width", "bias"};
        double[] v = {0.412, 0.233, -0.087, -0.31, 0.004};
        BarChart chart = new BarChart("Integrated Gradients for class \"virginica\"", "attribution").signed(true);
        for (int i = 0; i < v.length; i++) {
            chart.bar(names[i], v[i]);
        }
        return chart;
    }

    static BarChart importances(Random rng) {
        BarChart chart = new BarChart("Permutation importance (top 25 features)", "drop in AUC");
        double v = 0.12;
        for (int i = 0; i < 25; i++) {
            chart.bar(i == 3 ? "a very long feature name that needs shortening_" + i : "feature_" + i, v);
            v *= 0.8 + 0.1 * rng.nextDouble();
        }
        return chart;
    }

    static RidgePlot weightHistograms(Random rng) {
        RidgePlot ridge = new RidgePlot("dense1.weight over training", "weight");
        for (int e = 0; e < 12; e++) {
            double sd = 0.05 + 0.012 * e;
            double shift = 0.01 * e;
            int bins = 60;
            long[] counts = new long[bins];
            double lo = -0.3 - 0.02 * e;
            double hi = 0.3 + 0.02 * e;
            for (int k = 0; k < 20000; k++) {
                double w = shift + sd * rng.nextGaussian() + (e > 6 && k % 5 == 0 ? 0.15 : 0);
                int b = (int) ((w - lo) / (hi - lo) * bins);
                if (b >= 0 && b < bins) {
                    counts[b]++;
                }
            }
            ridge.add("epoch " + (e + 1), lo, hi, counts);
        }
        return ridge;
    }

    static ImageGrid filters(Random rng) {
        List<float[]> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int f = 0; f < 16; f++) {
            float[] t = new float[25];
            double angle = Math.PI * f / 8;
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 5; c++) {
                    double u = (c - 2) * Math.cos(angle) + (r - 2) * Math.sin(angle);
                    t[r * 5 + c] = (float) (Math.sin(u * 1.3) + 0.2 * rng.nextGaussian());
                }
            }
            tiles.add(t);
            captions.add("filter " + f);
        }
        return new ImageGrid("conv1.weight, 16 filters 5×5", tiles, 5, 5).captions(captions);
    }

    static ImageGrid featureMaps(Random rng) {
        List<float[]> tiles = new ArrayList<>();
        for (int m = 0; m < 8; m++) {
            float[] t = new float[24 * 24];
            for (int r = 0; r < 24; r++) {
                for (int c = 0; c < 24; c++) {
                    double d = Math.hypot(r - 12 - 6 * Math.sin(m), c - 12 - 6 * Math.cos(m));
                    t[r * 24 + c] = (float) Math.max(0, Math.cos(d / (2 + m * 0.5)) + 0.1 * rng.nextGaussian());
                }
            }
            tiles.add(t);
        }
        tiles.get(5)[100] = Float.NaN;
        return new ImageGrid("conv1 feature maps (viridis; a NaN in map 5)", tiles, 24, 24).columns(4).colormap(true);
    }

    static BufferedImage gradCam() {
        int h = 28;
        int w = 28;
        float[] image = new float[h * w];
        float[] cam = new float[h * w];
        float[] signed = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double ring = Math.abs(Math.hypot(r - 14, (c - 14) * 1.4) - 8);
                image[r * w + c] = (float) Math.max(0, 1 - ring / 2.5);
                cam[r * w + c] = (float) (Math.exp(-(Math.pow(r - 9, 2) + Math.pow(c - 17, 2)) / 30) - 0.1);
                signed[r * w + c] = (float) (image[r * w + c] * Math.sin((r + c) / 6.0));
            }
        }
        int s = 8;
        return Overlay.panels("Grad-CAM for class \"0\" (p = 0.97)",
                List.of(Overlay.over(image, new float[h * w], h, w, s, false, 0.6),
                        Overlay.map(cam, h, w, s, false),
                        Overlay.over(image, cam, h, w, s, false, 0.6),
                        Overlay.over(image, signed, h, w, s, true, 0.8)),
                List.of("input", "Grad-CAM", "overlay", "Integrated Gradients"));
    }

    static NetworkDiagram network(Random rng) {
        float[][] w1 = new float[8][4];
        float[][] w2 = new float[3][8];
        for (float[] row : w1) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (rng.nextGaussian() * 0.6);
            }
        }
        for (float[] row : w2) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (rng.nextGaussian() * 0.4);
            }
        }
        return new NetworkDiagram("Iris classifier 4–8–3", List.of(w1, w2))
                .inputNames(List.of("sepal length", "sepal width", "petal length", "petal width"))
                .outputNames(List.of("setosa", "versicolor", "virginica"));
    }
}
