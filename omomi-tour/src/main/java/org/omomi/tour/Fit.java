package org.omomi.tour;

import java.util.Iterator;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Tensor;

/**
 * The small training loop the experiments share: a fixed number of optimizer steps over seeded
 * mini-batches (so every model of a comparison sees the same batches in the same order), with the
 * loss of every step recorded. Accuracy and loss on a data set are core's
 * ({@code Trainer.evaluate} with {@link Images#HEAD}); loss curves are smoothed as omomi-explain
 * smooths step losses ({@code TrainingPlots.ema}).
 */
public final class Fit {

    private Fit() {}

    /**
     * Trains with softmax cross-entropy plus the model's penalties for {@code steps} steps of
     * {@code batch} examples, reshuffling each pass with {@code seed}; returns each step's data loss
     * (NaN once the loss stops being finite, after which training stops).
     */
    public static double[] steps(Module model, Optimizer optimizer, Dataset data, int batch, int steps, long seed) {
        model.train();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(data, batch, true, seed);
        double[] losses = new double[steps];
        java.util.Arrays.fill(losses, Double.NaN);
        int epoch = 0;
        Iterator<Batch> it = loader.epoch(epoch, 0);
        for (int s = 0; s < steps; s++) {
            if (!it.hasNext()) {
                it = loader.epoch(++epoch, 0);
            }
            Batch b = it.next();
            optimizer.zeroGrad();
            Tensor loss = ce.compute(model.call(b.x()), b.y());
            float value = loss.item();
            if (!Float.isFinite(value)) {
                break;
            }
            losses[s] = value;
            loss.add(model.penaltyTotal()).backward();
            optimizer.step();
            model.applyConstraints();
        }
        model.eval();
        return losses;
    }

    /** Mean of the last {@code n} finite values (a noisy loss curve's end). */
    public static double tail(double[] v, int n) {
        double s = 0;
        int k = 0;
        for (int i = v.length - 1; i >= 0 && k < n; i--) {
            if (Double.isFinite(v[i])) {
                s += v[i];
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /** A double[] as a list, which tour.json can hold. */
    public static java.util.List<Double> list(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /** 1, 2, …, n as doubles: the x axis of a per-step curve. */
    public static double[] count(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
