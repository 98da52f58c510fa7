package org.omomi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.omomi.kernel.DenseKernel;
import org.omomi.tensor.Tensor;

/**
 * A chain of dense layers compiled for answering rows as a prediction server does, one request or
 * one batch of requests at a time: each layer's weights packed once ({@link DenseKernel}), its bias
 * and a following ReLU applied in place, no autograd bookkeeping and, for a few rows, no allocation
 * per call but the output.
 *
 * <p>It covers a {@link Sequential} (or a lone {@link Dense}) of dense layers with ReLU, identity,
 * or dropout in evaluation mode between them, the shape of {@code ModelSpec.mlp} and
 * {@code logisticRegression}; {@link #of} returns null for anything else, and for a module with a
 * forward hook (which the plan would skip). The plan is a snapshot: it keeps copies of the weights
 * it was made from, so later training of the module does not reach it.
 *
 * <p>Each output is summed exactly as {@code Tensor.linear} sums it on the {@code vector} GEMM
 * (see {@link DenseKernel}), so on that backend a row's outputs here and through the module are
 * the same bits.
 */
public final class InferencePlan {

    private final DenseKernel[] layers;
    private final boolean[] relu;
    private final int widest;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][]);

    private InferencePlan(List<DenseKernel> layers, List<Boolean> relu) {
        this.layers = layers.toArray(new DenseKernel[0]);
        this.relu = new boolean[relu.size()];
        int w = 0;
        for (int i = 0; i < this.relu.length; i++) {
            this.relu[i] = relu.get(i);
            w = Math.max(w, this.layers[i].outFeatures());
        }
        this.widest = w;
    }

    /** The plan of {@code model}'s forward pass, or null when the model is not a chain this plan covers. */
    public static InferencePlan of(Module model) {
        List<Module> steps = new ArrayList<>();
        if (model instanceof Sequential s) {
            if (s.hasForwardHook()) {
                return null;
            }
            steps.addAll(s.children().values());
        } else {
            steps.add(model);
        }
        List<DenseKernel> layers = new ArrayList<>();
        List<Boolean> relu = new ArrayList<>();
        for (Module m : steps) {
            if (m.hasForwardHook()) {
                return null;
            }
            if (m instanceof Dense d) {
                if (!layers.isEmpty() && layers.get(layers.size() - 1).outFeatures() != d.inFeatures()) {
                    return null;
                }
                layers.add(DenseKernel.of(d.weight().toArray(), d.outFeatures(), d.inFeatures(),
                        d.bias() == null ? null : d.bias().toArray()));
                relu.add(false);
            } else if (m instanceof Activation a && a.name().equals("ReLU") && !layers.isEmpty() && !relu.get(relu.size() - 1)) {
                relu.set(relu.size() - 1, true);
            } else if (m instanceof Identity || (m instanceof Dropout && !m.isTraining())) {
                continue;
            } else {
                return null;
            }
        }
        return layers.isEmpty() ? null : new InferencePlan(layers, relu);
    }

    public int inFeatures() {
        return layers[0].inFeatures();
    }

    public int outFeatures() {
        return layers[layers.length - 1].outFeatures();
    }

    /** Outputs [N, out] for inputs [N, in] (or [in], giving [out]). */
    public Tensor forward(Tensor x) {
        int in = inFeatures();
        if ((x.dim() != 1 && x.dim() != 2) || x.size(-1) != in) {
            throw new IllegalArgumentException("InferencePlan: expected inputs [N, " + in + "], got " + Arrays.toString(x.shape()));
        }
        int rows = x.dim() == 1 ? 1 : x.size(0);
        float[] data = x.ownsArray() ? x.array() : x.toArray();
        float[] out = new float[rows * outFeatures()];
        forward(data, rows, out);
        return x.dim() == 1 ? Tensor.wrap(out, outFeatures()) : Tensor.wrap(out, rows, outFeatures());
    }

    /**
     * Batches up to this many rows keep their intermediate layers in the calling thread's scratch;
     * larger ones allocate theirs per call, so a server's many threads do not each hold a large batch's.
     */
    static final int SCRATCH_ROWS = 16;

    /**
     * {@code out[N·outFeatures]} from {@code x[N·inFeatures]}, row-major; allocates nothing after a
     * thread's first call of up to {@value #SCRATCH_ROWS} rows.
     */
    public void forward(float[] x, int rows, float[] out) {
        int need = rows * widest;
        float[][] s = rows <= SCRATCH_ROWS ? scratch.get() : new float[2][];
        if (s[0] == null || s[0].length < need) {
            s[0] = new float[need];
            s[1] = layers.length > 2 ? new float[need] : s[1];
        }
        float[] src = x;
        for (int i = 0; i < layers.length; i++) {
            float[] dst = i == layers.length - 1 ? out : s[i & 1];
            layers[i].forward(src, 0, rows, dst, 0, relu[i]);
            src = dst;
        }
    }
}
