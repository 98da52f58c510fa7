package org.omomi.loss;

import java.util.Arrays;
import org.omomi.tensor.Tensor;

/**
 * Categorical cross-entropy from logits [N, C], for multi-class classification;
 * {@code nn.CrossEntropyLoss}. The log-softmax is computed stably, so logits of ±10⁴ are fine.
 *
 * <p>Targets are either class indices [N] (whole numbers as floats) or probabilities [N, C].
 * <ul>
 * <li>indices: loss = −w[t]·log softmax(x)[t]; the mean divides by Σ w[tₙ]. With label smoothing ε
 *     the loss is (1 − ε)·that + (ε/C)·(−Σ_c w_c·log softmax(x)_c), reduced the same way.</li>
 * <li>probabilities: loss = −Σ_c w_c·t'_c·log softmax(x)_c with t' = (1 − ε)·t + ε/C; the mean
 *     divides by N.</li>
 * </ul>
 *
 * @param weight         one weight per class, or null
 * @param labelSmoothing ε in [0, 1]
 */
public record CrossEntropyLoss(Tensor weight, float labelSmoothing, Reduction reduction) implements Loss {

    public CrossEntropyLoss {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
    }

    public CrossEntropyLoss() {
        this(null, 0f, Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor logits, Tensor target) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected logits [N, C], got " + Arrays.toString(logits.shape()));
        }
        int n = logits.size(0);
        int c = logits.size(1);
        checkWeight("CrossEntropyLoss", weight, c);
        Tensor logp = logits.logSoftmax(1);
        if (Arrays.equals(target.shape(), logits.shape())) {
            Tensor t = labelSmoothing == 0f ? target : target.mul(1f - labelSmoothing).add(labelSmoothing / c);
            Tensor weighted = weight == null ? logp.mul(t) : logp.mul(t).mul(weight);
            Tensor perSample = weighted.sum(1, false).neg();
            return reduction == Reduction.MEAN ? perSample.sum().div(n) : reduction.apply(perSample);
        }
        Tensor nll = nll("CrossEntropyLoss", logp, target, weight, reduction);
        if (labelSmoothing == 0f) {
            return nll;
        }
        Tensor smooth = (weight == null ? logp : logp.mul(weight)).sum(1, false).neg();
        Tensor smoothReduced;
        switch (reduction) {
            case MEAN:
                smoothReduced = smooth.sum().div(weight == null ? Tensor.scalar(n) : weight.indexSelect(0, indices("CrossEntropyLoss", target, n, c)).sum());
                break;
            case SUM:
                smoothReduced = smooth.sum();
                break;
            default:
                smoothReduced = smooth;
        }
        return nll.mul(1f - labelSmoothing).add(smoothReduced.mul(labelSmoothing / c));
    }

    private static void checkWeight(String loss, Tensor weight, int c) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException(loss + ": class weights of shape " + Arrays.toString(weight.shape()) + " for " + c + " classes");
        }
    }

    /** −w[t]·x[n, t], reduced; the shared core of NLL and cross-entropy with index targets. */
    static Tensor nll(String loss, Tensor logp, Tensor target, Tensor weight, Reduction reduction) {
        if (logp.dim() != 2) {
            throw new IllegalArgumentException(loss + ": expected input [N, C], got " + Arrays.toString(logp.shape()));
        }
        int n = logp.size(0);
        int c = logp.size(1);
        checkWeight(loss, weight, c);
        int[] idx = indices(loss, target, n, c);
        Tensor picked = logp.gather(1, target.reshape(n, 1)).reshape(n).neg();
        Tensor w = weight == null ? null : weight.indexSelect(0, idx);
        Tensor perSample = w == null ? picked : picked.mul(w);
        switch (reduction) {
            case MEAN:
                return perSample.sum().div(w == null ? Tensor.scalar(n) : w.sum());
            case SUM:
                return perSample.sum();
            default:
                return perSample;
        }
    }

    /** Class indices from a target of shape [N], checked. */
    static int[] indices(String loss, Tensor target, int n, int c) {
        if (target.dim() != 1 || target.size(0) != n) {
            throw new IllegalArgumentException(loss + ": target of shape " + Arrays.toString(target.shape())
                    + " for input [" + n + ", " + c + "]; expected class indices [" + n + "] or probabilities [" + n + ", " + c + "]");
        }
        float[] v = target.toArray();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            int k = (int) v[i];
            if (k != v[i] || k < 0 || k >= c) {
                throw new IllegalArgumentException(loss + ": target " + v[i] + " at position " + i + " is not a class index in [0, " + c + ")");
            }
            idx[i] = k;
        }
        return idx;
    }
}
