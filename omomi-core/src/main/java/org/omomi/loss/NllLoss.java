package org.omomi.loss;

import org.omomi.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities [N, C] at class indices [N]: −w[t]·x[n, t];
 * {@code nn.NLLLoss}. The mean divides by Σ w[tₙ], not by N, as PyTorch does.
 *
 * @param weight one weight per class, or null
 */
public record NllLoss(Tensor weight, Reduction reduction) implements Loss {

    public NllLoss() {
        this(null, Reduction.MEAN);
    }

    @Override
    public Tensor compute(Tensor logProbabilities, Tensor target) {
        return CrossEntropyLoss.nll("NllLoss", logProbabilities, target, weight, reduction);
    }
}
