package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.Dataset;
import org.omomi.data.TensorDataset;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

class SyncTest {

    static final long SEED = 7;

    /** 300 rows, 6 features, 3 classes from a random linear rule with noise. */
    static TensorDataset table(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double s = rng.nextGaussian() * 0.3;
                for (int j = 0; j < 6; j++) {
                    if (c == 0) {
                        x[i * 6 + j] = (float) rng.nextGaussian();
                    }
                    s += x[i * 6 + j] * ((j + c) % 3 - 1);
                }
                if (s > best) {
                    best = s;
                    y[i] = c;
                }
            }
        }
        return new TensorDataset(Tensor.wrap(x, n, 6), Tensor.wrap(y, n));
    }

    static Recipe recipe(ModelSpec spec) {
        return Recipe.of(spec, SEED, Head.multiclass(3), m -> new Adam(m.parameters(), Adam.Options.adam().withLr(0.01)));
    }

    static ModelSpec mlp() {
        return ModelSpec.mlp(6, new int[] {16, 8}, "tanh", 3);
    }

    static Map<String, Tensor> local(Recipe recipe, Dataset data, Trainer.Options options) throws IOException {
        Module model = recipe.model();
        new Trainer(model, (Head) recipe.objective(model), recipe.optimizer(model), null, options, null).fit(data, null);
        return model.stateDict();
    }

    static Module spark(Recipe recipe, Dataset data, int partitions, Trainer.Options options, SparkSteps.Options mode) throws IOException {
        Columns.Partitioned rows = Columns.partitions(LocalSpark.context(), data, partitions);
        Module model = recipe.model();
        try (SparkSteps steps = SparkSteps.of(rows.rdd(), rows.encoder(), recipe, options, mode)) {
            assertEquals(partitions, steps.partitions());
            new Trainer(model, (Head) recipe.objective(model), recipe.optimizer(model), null, options, null).fit(steps, null, null);
        }
        return model;
    }

    static float maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        float worst = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).toArray();
            float[] y = b.get(k).toArray();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    @Test
    void onePartitionReproducesTheLocalTrainer() throws IOException {
        TensorDataset data = table(3, 300);
        Trainer.Options options = new Trainer.Options(3, 32, true, SEED, 0, 0, 0, false);
        Map<String, Tensor> local = local(recipe(mlp()), data, options);
        Module spark = spark(recipe(mlp()), data, 1, options, SparkSteps.Options.sync());
        float d = maxDifference(local, spark.stateDict());
        assertTrue(d <= 1e-6f, "one partition differs from the local trainer by " + d);
        // and training moved the weights: the comparison is not of two untouched models
        float moved = maxDifference(local, recipe(mlp()).model().stateDict());
        assertTrue(moved > 1e-2f, "training changed the weights by only " + moved);
    }

    @Test
    void twoPartitionsTrainTheSameModelToRounding() throws IOException {
        TensorDataset data = table(3, 300);
        Trainer.Options options = new Trainer.Options(2, 32, true, SEED, 0, 0, 0, false);
        Module one = spark(recipe(mlp()), data, 1, options, SparkSteps.Options.sync());
        Module two = spark(recipe(mlp()), data, 2, options, SparkSteps.Options.sync());
        // Different shares of each global batch (so different rows per step), the same data per epoch:
        // the two models agree on most predictions.
        Tensor a = Trainer.predictAll(one, data)[0].argmax(1, false);
        Tensor b = Trainer.predictAll(two, data)[0].argmax(1, false);
        float[] x = a.toArray();
        float[] y = b.toArray();
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += x[i] == y[i] ? 1 : 0;
        }
        assertTrue(same >= 0.9 * x.length, "the models agree on " + same + " of " + x.length);
    }

    @Test
    void theRunIsTheSameBitForBitEveryTime() throws IOException {
        TensorDataset data = table(5, 200);
        Trainer.Options options = new Trainer.Options(2, 24, true, SEED, 0, 0, 0, false);
        Module a = spark(recipe(mlp()), data, 2, options, SparkSteps.Options.sync());
        Module b = spark(recipe(mlp()), data, 2, options, SparkSteps.Options.sync());
        assertEquals(0f, maxDifference(a.stateDict(), b.stateDict()));
    }

    @Test
    void sharesCoverEveryRowOncePerEpoch() {
        long[] sizes = {37, 0, 101, 64};
        long rows = 202;
        int batch = 16;
        int steps = Shares.steps(rows, batch);
        long seen = 0;
        for (int s = 0; s < steps; s++) {
            long inStep = 0;
            for (long n : sizes) {
                int[] b = Shares.bounds((int) n, rows, batch, s);
                inStep += b[1] - b[0];
                assertTrue(b[0] <= b[1] && b[1] <= n);
            }
            assertTrue(Math.abs(inStep - Math.min(batch, rows - (long) s * batch)) <= sizes.length, "step " + s + ": " + inStep);
            seen += inStep;
        }
        assertEquals(rows, seen);
        // one partition: exactly the DataLoader's batches
        assertEquals(List.of(0, 16), List.of(Shares.bounds(202, 202, 16, 0)[0], Shares.bounds(202, 202, 16, 0)[1]));
        assertEquals(List.of(192, 202), List.of(Shares.bounds(202, 202, 16, 12)[0], Shares.bounds(202, 202, 16, 12)[1]));
    }
}
