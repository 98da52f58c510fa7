package org.omomi.recommend;

import org.omomi.data.Batch;
import org.omomi.tensor.Tensor;
import org.omomi.train.Objective;

/**
 * Bayesian personalized ranking (Rendle, Freudenthaler, Gantner and Schmidt-Thieme, UAI 2009):
 * for scores [N, 1 + m] whose column 0 is an item the user chose and columns 1…m items sampled
 * from those they did not,
 * <pre>
 * loss = mean over n, j of −log σ(s⁺ₙ − s⁻ₙⱼ)  +  λ·Σ‖rows‖² / N
 * </pre>
 * −log σ(x) is computed as softplus(−x), which stays finite for large |x|. It is the negative
 * log-likelihood that the user prefers what they chose to what they did not, so a lower loss is a
 * better ranking; with 100 negatives it is the validation loss of the sampled protocol.
 */
final class BprObjective implements Objective {

    private final RowL2 l2;

    BprObjective(RowL2 l2) {
        this.l2 = l2;
    }

    @Override
    public Tensor loss(Tensor scores, Batch batch) {
        if (scores.dim() != 2 || scores.size(1) < 2) {
            throw new IllegalArgumentException("BPR needs scores [N, 1 + negatives], got " + java.util.Arrays.toString(scores.shape()));
        }
        int m = scores.size(1) - 1;
        Tensor positive = scores.slice(1, 0, 1);
        Tensor negative = scores.slice(1, 1, 1 + m);
        Tensor ranking = negative.sub(positive).softplus(1f, 20f).mean();
        return ranking.add(l2.penalty(scores.size(0)));
    }

    /** Pairs ranked the right way round (s⁺ > s⁻), for the run log's training accuracy. */
    @Override
    public double correct(Tensor scores, Batch batch) {
        float[] s = scores.toArray();
        int w = scores.size(1);
        double right = 0;
        for (int n = 0; n < scores.size(0); n++) {
            for (int j = 1; j < w; j++) {
                right += s[n * w] > s[n * w + j] ? 1.0 / (w - 1) : 0;
            }
        }
        return right;
    }
}
