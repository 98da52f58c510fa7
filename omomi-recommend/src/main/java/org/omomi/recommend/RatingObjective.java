package org.omomi.recommend;

import org.omomi.data.Batch;
import org.omomi.tensor.Tensor;
import org.omomi.train.Objective;

/**
 * Squared error of predicted ratings [N, 1] against the ratings y [N], with L2 on the rows used
 * (Koren, Bell and Volinsky 2009, eq. 5): loss = mean (r̂ − r)² + λ·Σ‖rows‖² / N.
 */
final class RatingObjective implements Objective {

    private final RowL2 l2;

    RatingObjective(RowL2 l2) {
        this.l2 = l2;
    }

    @Override
    public Tensor loss(Tensor predicted, Batch batch) {
        if (predicted.dim() != 2 || predicted.size(1) != 1) {
            throw new IllegalArgumentException("ratings are predicted one per row, [N, 1]; got " + java.util.Arrays.toString(predicted.shape()));
        }
        Tensor y = batch.y().reshape(batch.y().size(0), 1);
        Tensor e = predicted.sub(y);
        return e.mul(e).mean().add(l2.penalty(predicted.size(0)));
    }
}
