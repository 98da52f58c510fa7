package org.omomi.explain;

import java.io.IOException;
import java.nio.file.Path;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.nn.Activation;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Flatten;
import org.omomi.nn.Pool2d;
import org.omomi.nn.Sequential;
import org.omomi.nn.Unflatten;
import org.omomi.optim.Adam;
import org.omomi.tensor.Rng;
import org.omomi.testing.Requires;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/**
 * A small CNN trained once per test JVM on part of Fashion-MNIST (Debian's dataset-fashion-mnist;
 * the tests that need it skip where it is absent, and fail there under CI=true: {@link Requires}): conv 8 → pool → conv 16 → pool → dense 64 → dense 10, a small twin of the
 * built-in {@code cnn}.
 */
final class TrainedCnn {

    static final int TRAIN = 10_000;

    private static Sequential model;
    private static TensorDataset test;
    private static double accuracy;

    private TrainedCnn() {}

    static Sequential build(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Unflatten(1, 28, 28),
                new Conv2d(1, 8, 3, 1, 1, 1, 1, true, rng, null, null), Activation.relu(), Pool2d.max(2, 2, 0),
                new Conv2d(8, 16, 3, 1, 1, 1, 1, true, rng, null, null), Activation.relu(), Pool2d.max(2, 2, 0),
                new Flatten(), new Dense(16 * 7 * 7, 64, rng), Activation.relu(), new Dense(64, 10, rng));
    }

    private static Sequential smooth;

    /** A tanh MLP 784-64-10 trained for one epoch on the same images: a network whose F is smooth along any path. */
    static synchronized Sequential smoothMlp() throws IOException {
        model();
        if (smooth == null) {
            Rng rng = new Rng(8);
            Sequential m = new Sequential(new Dense(784, 64, rng), Activation.tanh(), new Dense(64, 10, rng));
            var opt = new Adam(m.parameters(), Adam.Options.adam().withLr(2e-3));
            new Trainer(m, Head.multiclass(10), opt, null, Trainer.Options.of(1, 64, 8), null)
                    .fit(FashionMnist.train(Requires.fashionMnist()).range(0, TRAIN), null);
            m.eval();
            smooth = m;
        }
        return smooth;
    }

    static synchronized Sequential model() throws IOException {
        Path dir = Requires.fashionMnist();
        if (model == null) {
            test = FashionMnist.test(dir);
            Sequential m = trained(7, dir);
            accuracy = Trainer.evaluate(m, Head.multiclass(10), test.range(0, 1000)).get("accuracy");
            model = m;
        }
        return model;
    }

    private static Sequential second;

    /** The same network trained the same way from seed 8 (weights and batch order): an independent twin. */
    static synchronized Sequential secondSeed() throws IOException {
        Path dir = Requires.fashionMnist();
        if (second == null) {
            second = trained(8, dir);
        }
        return second;
    }

    /** {@link #build}(seed) trained for 2 epochs of batch 64 on the first {@value #TRAIN} training images, Adam 2e-3, shuffled by seed. */
    private static Sequential trained(long seed, Path dir) throws IOException {
        TensorDataset train = FashionMnist.train(dir);
        Sequential m = build(seed);
        var opt = new Adam(m.parameters(), Adam.Options.adam().withLr(2e-3));
        new Trainer(m, Head.multiclass(10), opt, null, Trainer.Options.of(2, 64, seed), null).fit(train.range(0, TRAIN), null);
        m.eval();
        return m;
    }

    static TensorDataset test() throws IOException {
        model();
        return test;
    }

    static double accuracy() throws IOException {
        model();
        return accuracy;
    }
}
