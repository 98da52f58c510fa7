package org.omomi.tour;

import java.util.Iterator;
import org.omomi.data.Batch;
import org.omomi.data.BatchSource;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Tensor;
import org.omomi.train.Diverged;
import org.omomi.train.Objective;
import org.omomi.train.Trainer;

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
     *
     * <p>The steps are core's {@link Trainer}, run as one "epoch" of {@code steps} batches drawn
     * from successive passes of a seeded {@link DataLoader}; the objective notes each step's loss,
     * and the trainer's divergence guard ends the run when the loss or a weight stops being finite.
     */
    public static double[] steps(Module model, Optimizer optimizer, Dataset data, int batch, int steps, long seed) {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double[] losses = new double[steps];
        java.util.Arrays.fill(losses, Double.NaN);
        int[] at = {0};
        Objective noted = (out, b) -> {
            Tensor loss = ce.compute(out, b.y());
            losses[at[0]++] = loss.item();
            return loss;
        };
        DataLoader loader = new DataLoader(data, batch, true, seed);
        BatchSource source = new BatchSource() {
            @Override
            public int batches() {
                return steps;
            }

            @Override
            public Iterator<Batch> epoch(int epoch, int first) {
                return new Iterator<>() {
                    private int pass;
                    private int taken;
                    private Iterator<Batch> it = loader.epoch(0, 0);

                    @Override
                    public boolean hasNext() {
                        return taken < steps;
                    }

                    @Override
                    public Batch next() {
                        if (!it.hasNext()) {
                            it = loader.epoch(++pass, 0);
                        }
                        taken++;
                        return it.next();
                    }
                };
            }
        };
        try {
            new Trainer(model, noted, optimizer, Trainer.Options.of(1, batch, seed), null).fit(source, null, null);
        } catch (Diverged stopped) {
            // the losses say where: NaN from the step that diverged on
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no run folder: nothing is written
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
