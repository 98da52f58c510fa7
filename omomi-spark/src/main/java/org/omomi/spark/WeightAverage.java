package org.omomi.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Tensor;

/**
 * What parameter averaging adds up: each partition's model state (weights and buffers) and
 * optimizer buffers after its local steps, multiplied by its weight w_p = n_p / N (its share of
 * the round's examples), so the sum is the example-weighted mean; the optimizer's step counts and
 * hyperparameters, which every partition has alike, from the lowest partition that trained; the
 * loss sum, correct predictions and examples of the local steps. With one partition w = 1 and
 * the mean is its state bit for bit. Immutable.
 */
final class WeightAverage implements Summable<WeightAverage> {

    private static final long serialVersionUID = 1L;

    private final float[][] state;
    private final TreeMap<String, float[]> optimizerBuffers;
    private final TreeMap<String, int[]> optimizerShapes;
    private final LinkedHashMap<String, Double> optimizerValues;
    private final double lossSum;
    private final double correct;
    private final long examples;

    private WeightAverage(float[][] state, TreeMap<String, float[]> buffers, TreeMap<String, int[]> shapes,
                          LinkedHashMap<String, Double> values, double lossSum, double correct, long examples) {
        this.state = state;
        this.optimizerBuffers = buffers;
        this.optimizerShapes = shapes;
        this.optimizerValues = values;
        this.lossSum = lossSum;
        this.correct = correct;
        this.examples = examples;
    }

    /** A partition's state after its local steps, times {@code weight}. */
    static WeightAverage of(Module model, Optimizer optimizer, float weight, double lossSum, double correct, long examples) {
        float[][] s = Replica.stateOf(model);
        for (float[] a : s) {
            scale(a, weight);
        }
        Optimizer.Snapshot snap = optimizer.stateDict();
        TreeMap<String, float[]> buf = new TreeMap<>();
        TreeMap<String, int[]> shapes = new TreeMap<>();
        snap.buffers().forEach((k, v) -> {
            float[] a = v.toArray();
            scale(a, weight);
            buf.put(k, a);
            shapes.put(k, v.shape());
        });
        return new WeightAverage(s, buf, shapes, new LinkedHashMap<>(snap.values()), lossSum, correct, examples);
    }

    private static void scale(float[] a, float w) {
        if (w == 1f) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] *= w;
        }
    }

    @Override
    public WeightAverage plus(WeightAverage o) {
        if (o.state.length != state.length) {
            throw new IllegalArgumentException("weight averages of models with " + state.length + " and " + o.state.length + " tensors");
        }
        float[][] s = new float[state.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = add(state[i], o.state[i]);
        }
        TreeMap<String, float[]> buf = new TreeMap<>(optimizerBuffers);
        TreeMap<String, int[]> shapes = new TreeMap<>(optimizerShapes);
        o.optimizerBuffers.forEach((k, v) -> buf.merge(k, v, WeightAverage::add));
        shapes.putAll(o.optimizerShapes);
        LinkedHashMap<String, Double> values = examples > 0 || o.examples == 0 ? optimizerValues : o.optimizerValues;
        return new WeightAverage(s, buf, shapes, values, lossSum + o.lossSum, correct + o.correct, examples + o.examples);
    }

    private static float[] add(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** Loads the mean into the driver's model and optimizer. */
    void loadInto(Module model, Optimizer optimizer) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            m.put(e.getKey(), Tensor.wrap(state[i++].clone(), e.getValue().shape()));
        }
        model.loadStateDict(m);
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        optimizerBuffers.forEach((k, v) -> buffers.put(k, Tensor.wrap(v.clone(), optimizerShapes.get(k))));
        optimizer.loadStateDict(new Optimizer.Snapshot(buffers, optimizerValues));
    }

    double lossSum() {
        return lossSum;
    }

    double correct() {
        return correct;
    }

    long examples() {
        return examples;
    }
}
