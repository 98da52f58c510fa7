package org.omomi.optim;

import java.util.List;
import org.omomi.kernel.Loops;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Tensor;

/**
 * Adam (Kingma and Ba, 2015), with AMSGrad, and AdamW's decoupled weight decay as a flag, exactly
 * as {@code torch.optim.Adam} and {@code torch.optim.AdamW}:
 * <pre>
 * AdamW: p = p·(1 − η·λ)                 Adam: g = g + λ·p   (weight decay λ)
 * m = β₁·m + (1 − β₁)·g
 * v = β₂·v + (1 − β₂)·g²
 * v̂max = max(v̂max, v)                    (AMSGrad only; then v̂max replaces v below)
 * p = p − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Defaults: η = 10⁻³, β = (0.9, 0.999), ε = 10⁻⁸; weight decay 0 for Adam, 10⁻² for AdamW. A
 * group's {@linkplain ParamGroup#momentum() momentum} is its β₁.
 */
public final class Adam extends Optimizer {

    /** Hyperparameters; {@link #adam()} and {@link #adamW()} give PyTorch's defaults. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay,
                          boolean decoupledWeightDecay, boolean amsgrad) {
        /** Adam's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Options adam() {
            return new Options(1e-3, 0.9, 0.999, 1e-8, 0, false, false);
        }

        /** AdamW's defaults: as Adam, with decoupled weight decay 1e-2. */
        public static Options adamW() {
            return new Options(1e-3, 0.9, 0.999, 1e-8, 1e-2, true, false);
        }

        public Options withLr(double v) {
            return new Options(v, beta1, beta2, eps, weightDecay, decoupledWeightDecay, amsgrad);
        }

        public Options withBetas(double b1, double b2) {
            return new Options(lr, b1, b2, eps, weightDecay, decoupledWeightDecay, amsgrad);
        }

        public Options withEps(double v) {
            return new Options(lr, beta1, beta2, v, weightDecay, decoupledWeightDecay, amsgrad);
        }

        public Options withWeightDecay(double v) {
            return new Options(lr, beta1, beta2, eps, v, decoupledWeightDecay, amsgrad);
        }

        public Options withAmsgrad(boolean on) {
            return new Options(lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, on);
        }
    }

    private final Options options;

    public Adam(List<Tensor> params, Options options) {
        this(single(params), options, 0);
    }

    private Adam(List<ParamGroup> groups, Options options, int ignored) {
        super(groups, options.lr(), options.weightDecay(), options.beta1());
        if (!(options.beta1() >= 0 && options.beta1() < 1 && options.beta2() >= 0 && options.beta2() < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + options.beta1() + ", " + options.beta2() + ")");
        }
        if (!(options.eps() >= 0)) {
            throw new IllegalArgumentException("Adam: eps must be ≥ 0, got " + options.eps());
        }
        this.options = options;
    }

    /** Adam over parameter groups, with these defaults for anything a group leaves unset. */
    public static Adam withGroups(List<ParamGroup> groups, Options options) {
        return new Adam(groups, options, 0);
    }

    /**
     * Adam on the rows a batch touched, as PyTorch's {@code SparseAdam}: only those rows' moments
     * and weights change (a row's moments do not decay in steps that do not touch it), with the
     * parameter's step count t for the bias corrections:
     * <pre>
     * m[r] = m[r] + (1 − β₁)·(g[r] − m[r])
     * v[r] = v[r] + (1 − β₂)·(g[r]² − v[r])
     * p[r] = p[r] − (η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)) · m[r] / (√v[r] + ε)
     * </pre>
     * SparseAdam has no weight decay and no AMSGrad; asking for them with sparse gradients is an error.
     */
    @Override
    protected void updateRows(ParamGroup group, float[] p, int dim, int[] rows, float[] values, State state) {
        if (group.weightDecay() != 0 || options.amsgrad()) {
            throw new IllegalArgumentException("Adam: sparse gradients are updated as PyTorch's SparseAdam, which has no weight decay "
                    + "or AMSGrad; put the embedding tables in a parameter group with weight decay 0");
        }
        double beta1 = group.momentum();
        double beta2 = options.beta2();
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        int t = state.step;
        float stepSize = (float) -(group.lr() * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float eps = (float) options.eps();
        float[] m = state.buffer("exp_avg", p.length, 0f);
        float[] v = state.buffer("exp_avg_sq", p.length, 0f);
        // Rows are distinct, so splitting them over the threads cannot change a result; each row is
        // three random reads of the table-sized arrays (p, m, v), latency-bound, and two cores wait
        // on twice the misses at once.
        Parallel.forRows(rows.length, dim, (from, to) -> {
            for (int i = from; i < to; i++) {
                Loops.sparseAdamRow(p, m, v, rows[i] * dim, values, i * dim, dim, oneMinusB1, oneMinusB2, stepSize, eps);
            }
        });
    }

    /** SparseAdam touches only the listed rows (it refuses weight decay and AMSGrad, which would not). */
    @Override
    protected boolean updatesOnlyListedRows(ParamGroup group) {
        return group.weightDecay() == 0 && !options.amsgrad();
    }

    @Override
    protected void update(ParamGroup group, float[] p, float[] g, State state) {
        double lr = group.lr();
        double wd = group.weightDecay();
        double beta1 = group.momentum();
        double beta2 = options.beta2();
        int n = p.length;
        if (wd != 0) {
            if (options.decoupledWeightDecay()) {
                float shrink = (float) (1 - lr * wd);
                for (int i = 0; i < n; i++) {
                    p[i] *= shrink;
                }
            } else {
                g = addWeightDecay(g, p, (float) wd);
            }
        }
        float[] m = state.buffer("exp_avg", n, 0f);
        float[] v = state.buffer("exp_avg_sq", n, 0f);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        int t = state.step;
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float eps = (float) options.eps();
        // One pass over the four arrays, split over the threads: the update is memory-bound, so each
        // array is read once, and two cores fetch faster than one. Elements are independent, so the
        // split cannot change a result.
        float[] vmax = options.amsgrad() ? state.buffer("max_exp_avg_sq", n, 0f) : null;
        float[] grad = g;
        Parallel.forRange(n, 1 << 15, (from, to) -> {
            if (vmax != null) {
                for (int i = from; i < to; i++) {
                    float gi = grad[i];
                    float mi = Math.fma(oneMinusB1, gi, m[i] * b1);
                    float vi = v[i] * b2 + oneMinusB2 * gi * gi;
                    float mx = Math.max(vmax[i], vi);
                    m[i] = mi;
                    v[i] = vi;
                    vmax[i] = mx;
                    p[i] = p[i] + stepSize * mi / ((float) Math.sqrt(mx) / bc2Sqrt + eps);
                }
            } else {
                for (int i = from; i < to; i++) {
                    float gi = grad[i];
                    float mi = Math.fma(oneMinusB1, gi, m[i] * b1);
                    float vi = v[i] * b2 + oneMinusB2 * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    p[i] = p[i] + stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
                }
            }
        });
    }
}
