package org.omomi.tour;

import java.util.HashMap;
import java.util.Map;
import org.omomi.data.TensorDataset;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.tensor.Rng;

/**
 * The built-in {@code cnn}, trained once per setting and shared by the filters and explain parts
 * (each part still runs alone: the first to ask trains it). Also keeps the untrained copy.
 */
final class SharedCnn {

    record Trained(Sequential initial, Sequential trained, int steps, double[] losses) {}

    static final int BATCH = 128;

    private static final Map<String, Trained> CACHE = new HashMap<>();

    private SharedCnn() {}

    static synchronized Trained of(Setting s) {
        int steps = s.option("cnn-steps", 500, 100);
        String key = s.seed() + "/" + steps + "/" + s.images().source() + "/" + System.identityHashCode(s.images());
        return CACHE.computeIfAbsent(key, k -> {
            ModelSpec spec = ModelSpec.cnn(new int[] {1, 28, 28}, 10);
            Sequential initial = (Sequential) spec.build(new Rng(s.seed()));
            Sequential model = (Sequential) spec.build(new Rng(s.seed()));
            TensorDataset train = s.images().trainPrefix(steps * BATCH);
            double[] losses = Fit.steps(model, new Adam(model.parameters(), Adam.Options.adam().withLr(1e-3)), train, BATCH, steps, s.seed());
            initial.eval();
            return new Trained(initial, model, steps, losses);
        });
    }
}
