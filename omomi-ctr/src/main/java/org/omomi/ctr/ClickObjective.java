package org.omomi.ctr;

import org.omomi.data.Batch;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.loss.Reduction;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;
import org.omomi.train.Objective;

/**
 * Binary cross-entropy of the click model's logit, with class imbalance handled so that the model
 * itself always gives the probabilities of the full log — the calibration correction is part of
 * training, so prediction (and the prediction server) needs none.
 *
 * <p>With a positive weight w (positives count w times) and negative down-sampling at rate r
 * (negatives kept with probability r), the log-odds the weighted loss on the sampled rows
 * converges to are the full log's log-odds + ln(w) − ln(r) (a negative kept with probability r
 * stands for 1/r of them; King and Zeng 2001; He et al. 2014, "the re-calibration q = p / (p +
 * (1 − p)/w)"). So while the model trains, the loss is taken of z + s with s = ln(w) − ln(r):
 * <pre>
 * training:   loss = BCE_w(z + s, y)      (model in training mode)
 * evaluation: loss = BCE(z, y)            (model in evaluation mode: held-out rows, all negatives)
 * </pre>
 * and z is the calibrated logit. The evaluation loss is the held-out log-loss, which early
 * stopping watches. With w = 1 and r = 1 both are plain binary cross-entropy.
 */
public final class ClickObjective implements Objective {

    private final Module model;
    private final float shift;
    private final BceWithLogitsLoss training;
    private final BceWithLogitsLoss evaluation = new BceWithLogitsLoss();

    /** @param posWeight w ≥ 0 (1: none); @param negativeRate r in (0, 1] (1: all negatives kept). */
    public ClickObjective(Module model, double posWeight, double negativeRate) {
        if (!(posWeight > 0) || Double.isInfinite(posWeight)) {
            throw new IllegalArgumentException("the positive weight must be a positive number, got " + posWeight);
        }
        this.model = model;
        this.shift = (float) offset(posWeight, negativeRate);
        this.training = posWeight == 1 ? evaluation : new BceWithLogitsLoss(Tensor.scalar((float) posWeight), null, Reduction.MEAN);
    }

    /** s = ln(w) − ln(r): how far the sampled, weighted rows' log-odds sit above the full log's. */
    public static double offset(double posWeight, double negativeRate) {
        return Math.log(posWeight) - Math.log(negativeRate);
    }

    @Override
    public Tensor loss(Tensor outputs, Batch batch) {
        Tensor y = batch.y().reshape(batch.y().size(0), 1);
        if (model.isTraining()) {
            return training.compute(shift == 0f ? outputs : outputs.add(shift), y);
        }
        return evaluation.compute(outputs, y);
    }

    @Override
    public double correct(Tensor outputs, Batch batch) {
        try (var ignored = org.omomi.tensor.Autograd.noGrad()) {
            return outputs.reshape(outputs.size(0)).add(model.isTraining() ? shift : 0f).gt(0f).eq(batch.y()).sum().item();
        }
    }
}
