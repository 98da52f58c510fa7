package org.omomi.train;

import org.omomi.tensor.Tensor;

/**
 * What one training step on one batch gave.
 *
 * @param examples the batch size
 * @param dataLoss the objective's mean loss on the batch, before the step
 * @param loss     the loss that was differentiated: data loss plus the model's penalties
 * @param correct  correct predictions in the batch (NaN where the objective has none)
 * @param outputs  the model's outputs on the batch (recorded for autograd; do not keep them)
 */
public record StepResult(int examples, double dataLoss, double loss, double correct, Tensor outputs) {}
