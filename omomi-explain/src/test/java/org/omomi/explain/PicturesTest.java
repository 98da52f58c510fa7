package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.TensorDataset;
import org.omomi.explain.plot.ImageGrid;
import org.omomi.explain.plot.Png;
import org.omomi.nn.Activation;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Flatten;
import org.omomi.nn.Pool2d;
import org.omomi.nn.Sequential;
import org.omomi.nn.Unflatten;
import org.omomi.optim.Adam;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/** Pictures of weights and of training, checked by their numbers. */
class PicturesTest {

    @TempDir
    Path dir;

    @Test
    void aFilterImageRoundTripsThroughPngWithin1Over255() throws IOException {
        Conv2d conv = new Conv2d(1, 6, 5, 1, 2, 1, 1, true, new Rng(4), null, null);
        Sequential model = new Sequential(conv, Activation.relu());
        ImageGrid grid = WeightPictures.filters(model, "0");
        float[] w = conv.weight().toArray();
        for (int f = 0; f < 6; f++) {
            Path png = dir.resolve("filter-" + f + ".png");
            Png.write(grid.tile(f), png);
            Png.Grey back = Png.readGrey(png);
            assertEquals(5, back.height());
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < 25; k++) {
                lo = Math.min(lo, w[f * 25 + k]);
                hi = Math.max(hi, w[f * 25 + k]);
            }
            for (int k = 0; k < 25; k++) {
                double scaled = (w[f * 25 + k] - lo) / (hi - lo);
                assertEquals(scaled, back.levels()[k] / 255.0, 1.0 / 255 + 1e-9, "filter " + f + " weight " + k);
            }
        }
    }

    @Test
    void denseNeuronsFeatureMapsAndTheDiagramAppearOnlyWhereTheyMeanSomething() {
        Rng rng = new Rng(6);
        Sequential mlp = new Sequential(new Dense(784, 20, rng), Activation.relu(), new Dense(20, 10, rng));
        assertNotNull(WeightPictures.denseNeurons(mlp), "784 inputs are a 28×28 image");
        assertNull(WeightPictures.diagram(mlp, null, null), "784 inputs are too many to draw");
        Sequential small = new Sequential(new Dense(3, 5, rng), Activation.tanh(), new Dense(5, 1, rng));
        assertNull(WeightPictures.denseNeurons(small));
        assertNotNull(WeightPictures.diagram(small, List.of("age", "interest", "frequency"), List.of("click")));
        Sequential cnn = new Sequential(new Unflatten(1, 8, 8), new Conv2d(1, 4, 3, 1, 1, 1, 1, true, rng, null, null), Activation.relu(),
                Pool2d.max(2, 2, 0), new Flatten(), new Dense(64, 3, rng));
        assertEquals("1", WeightPictures.firstConvolution(cnn));
        ImageGrid maps = WeightPictures.featureMaps(cnn, "2", Tensor.randn(rng, 1, 64));
        assertEquals(8 * 8, maps.tile(3).getWidth() * maps.tile(3).getHeight(), "one 8×8 tile per channel");
    }

    @Test
    void percentilesEstimatedFromAHistogramAreClose() {
        // 30 bins of a uniform sample: the estimate is within one bin of the true percentile.
        Rng rng = new Rng(1);
        float[] v = new float[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble();
        }
        var h = org.omomi.train.Histogram.of(v, 30);
        LogSeries.Hist hist = new LogSeries.Hist(h.lo(), h.hi(), h.counts());
        for (double q : new double[] {2.275, 15.866, 50, 84.134, 97.725}) {
            assertEquals(q / 100, hist.percentile(q), 1.0 / 30, "p" + q);
        }
    }

    @Test
    void aRealRunLogGivesEveryTrainingPicture() throws IOException {
        Rng rng = new Rng(2);
        int n = 256;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) rng.nextGaussian();
            }
            y[i] = x[i * 4] + x[i * 4 + 1] > 0 ? 1 : 0;
        }
        TensorDataset data = new TensorDataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n));
        Sequential model = new Sequential(new Dense(4, 8, rng), Activation.relu(), new Dense(8, 2, rng));
        var options = new Trainer.Options(4, 32, true, 1, 0, 3, 0, false);
        new Trainer(model, Head.multiclass(2), new Adam(model.parameters(), Adam.Options.adam().withLr(0.01)), null, options, dir)
                .addCallback(new DeadUnits(data.range(192, 256)))
                .fit(data.range(0, 192), data.range(192, 256));
        LogSeries log = LogSeries.read(dir.resolve("history.jsonl"));
        assertEquals(4, log.epochs().size());
        assertTrue(log.steps().size() >= 8, "--log-every 3 step lines");
        Map<String, Figure> figs = TrainingPlots.of(log).stream().collect(Collectors.toMap(Figure::file, f -> f));
        for (String f : List.of("loss.png", "loss-steps.png", "metrics.png", "grad-norm.png", "update-ratio.png", "dead-relu.png",
                "weights-0.weight-histograms.png", "weights-0.weight-percentiles.png", "weights-2.weight-histograms.png")) {
            assertTrue(figs.containsKey(f), f + " missing from " + figs.keySet());
        }
        assertTrue(!figs.containsKey("weights-0.bias-histograms.png"), "biases are not layers' pictures");
        // The recorded percentiles are the ones drawn.
        double[] median = log.percentileSeries("0.weight", "weight", "p50", 50);
        double[] stats = TrainingPlots.ema(new double[] {1, Double.NaN, 3}, 0.5);
        assertEquals(2.0, stats[2], 1e-12, "EMA skips NaN");
        assertTrue(Double.isNaN(stats[1]), "and leaves a gap where the curve has one");
        float[] w = model.namedParameters().get("0.weight").toArray();
        java.util.Arrays.sort(w);
        assertEquals((w[15] + w[16]) / 2.0, median[3], 1e-6, "the last epoch's median weight");
    }
}
