package org.omomi.tour;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * The images the tour trains on: Fashion-MNIST when installed (Debian's dataset-fashion-mnist),
 * otherwise a built-in synthetic set of the same shape, and the report says which. Pixels are in
 * [0, 1], images flat [N, 784].
 */
public record Images(TensorDataset train, TensorDataset test, String source, List<String> classes) {

    public static final int SIDE = 28;

    /** How the tour's image classifiers are judged (ten classes, softmax cross-entropy): core's metrics, {@code Trainer.evaluate}. */
    public static final Head HEAD = Head.multiclass(10);

    /** Fashion-MNIST from {@code dir} if it is there, else {@link #synthetic}. */
    public static Images load(Path dir, long seed) throws IOException {
        if (FashionMnist.available(dir)) {
            return new Images(FashionMnist.train(dir), FashionMnist.test(dir), "fashion-mnist", FashionMnist.CLASSES);
        }
        return synthetic(6000, 1000, seed);
    }

    /** The first n training images (n ≤ size). */
    public TensorDataset trainPrefix(int n) {
        int m = Math.min(n, train.size());
        return new TensorDataset(train.x().slice(0, 0, m).contiguous(), train.y().slice(0, 0, m).contiguous());
    }

    /** The first n test images. */
    public TensorDataset testPrefix(int n) {
        int m = Math.min(n, test.size());
        return new TensorDataset(test.x().slice(0, 0, m).contiguous(), test.y().slice(0, 0, m).contiguous());
    }

    /**
     * Ten classes of simple drawn shapes — horizontal, vertical and diagonal bars, a box, a cross,
     * a disc, a ring, a triangle, two dots — at random positions and sizes, with noise: enough
     * structure for filters, Grad-CAM and training curves to mean something without any download.
     */
    public static Images synthetic(int trainSize, int testSize, long seed) {
        Rng rng = new Rng(seed ^ 0x5EED5EEDL);
        return new Images(draw(trainSize, rng), draw(testSize, rng), "synthetic",
                List.of("horizontal bar", "vertical bar", "diagonal", "box", "cross", "disc", "ring", "triangle", "two dots", "anti-diagonal"));
    }

    private static TensorDataset draw(int n, Rng rng) {
        float[] x = new float[n * SIDE * SIDE];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            y[i] = k;
            double cx = 10 + 8 * rng.nextDouble();
            double cy = 10 + 8 * rng.nextDouble();
            double r = 5 + 4 * rng.nextDouble();
            for (int p = 0; p < SIDE * SIDE; p++) {
                double px = p % SIDE - cx;
                double py = p / SIDE - cy;
                double d = Math.hypot(px, py);
                boolean on = switch (k) {
                    case 0 -> Math.abs(py) < 2 && Math.abs(px) < r;
                    case 1 -> Math.abs(px) < 2 && Math.abs(py) < r;
                    case 2 -> Math.abs(px - py) < 2 && d < r;
                    case 3 -> Math.max(Math.abs(px), Math.abs(py)) < r && Math.max(Math.abs(px), Math.abs(py)) > r - 2;
                    case 4 -> (Math.abs(px) < 1.5 || Math.abs(py) < 1.5) && Math.max(Math.abs(px), Math.abs(py)) < r;
                    case 5 -> d < r;
                    case 6 -> d < r && d > r - 2;
                    case 7 -> py < r / 2 && py > -r && Math.abs(px) < (py + r) / 2;
                    case 8 -> Math.hypot(px - r / 2, py) < 2.2 || Math.hypot(px + r / 2, py) < 2.2;
                    default -> Math.abs(px + py) < 2 && d < r;
                };
                float v = (on ? 0.75f + 0.25f * (float) rng.nextDouble() : 0f) + 0.1f * (float) Math.abs(rng.nextGaussian());
                x[i * SIDE * SIDE + p] = Math.min(1f, v);
            }
        }
        return new TensorDataset(Tensor.wrap(x, n, SIDE * SIDE), Tensor.wrap(y, n));
    }
}
