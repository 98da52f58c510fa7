package org.omomi.train;

import java.util.ArrayList;
import java.util.List;
import org.omomi.data.Batch;
import org.omomi.nn.Module;
import org.omomi.optim.GradClip;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/**
 * One step of training on one batch: forward, the objective's loss plus the model's penalties,
 * backward, optional gradient clipping, the optimizer's step and the model's constraints. The
 * same step can stop after the backward and hand back the gradients ({@link #gradients}), so a
 * distributed trainer sums them over workers and then {@link #apply applies} the sum: local and
 * distributed training run the same code.
 */
public final class TrainStep {

    private final Module model;
    private final Objective objective;
    private final Optimizer optimizer;
    private final double clipNorm;

    /** {@code clipNorm} > 0 clips the global gradient norm to it before each step. */
    public TrainStep(Module model, Objective objective, Optimizer optimizer, double clipNorm) {
        this.model = model;
        this.objective = objective;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
    }

    public Module model() {
        return model;
    }

    public Objective objective() {
        return objective;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Forward, loss, backward, clip, step, constraints. */
    public StepResult run(Batch batch) {
        StepResult r = backward(batch);
        if (clipNorm > 0) {
            GradClip.byNorm(optimizer.params(), clipNorm);
        }
        optimizer.step();
        model.applyConstraints();
        return r;
    }

    /**
     * Forward, loss and backward, leaving the gradients in the parameters (cleared first). When the
     * loss is not finite, returns before the backward, with no gradient set.
     */
    public StepResult backward(Batch batch) {
        optimizer.zeroGrad();
        Tensor out = model.call(batch.inputs());
        Tensor dataLoss = objective.loss(out, batch);
        Tensor total = dataLoss.add(model.penaltyTotal());
        float value = total.item();
        StepResult r = new StepResult(batch.size(), dataLoss.item(), value, objective.correct(out, batch), out);
        if (Float.isFinite(value)) {
            total.backward();
        }
        return r;
    }

    /**
     * The gradients of one batch, summed over its examples (the mean gradient × batch size), in the
     * order of the optimizer's parameters; the parameters' own gradients are left set as by
     * {@link #backward}. Penalties count once per batch, scaled the same way.
     */
    public Gradients gradients(Batch batch) {
        StepResult r = backward(batch);
        List<Tensor> dense = new ArrayList<>();
        List<RowSparseGrad> sparse = new ArrayList<>();
        float n = r.examples();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Tensor p : optimizer.params()) {
                dense.add(p.grad() == null ? null : p.grad().mul(n));
                sparse.add(p.sparseGrad() == null ? null : p.sparseGrad().coalesce().times(n));
            }
        }
        return Gradients.of(dense, sparse, r.dataLoss() * r.examples(), r.correct(), r.examples());
    }

    /** Sets each parameter's gradient to the mean of {@code sum} (sum ÷ examples), then clips and steps. */
    public void apply(Gradients sum) {
        List<Tensor> params = optimizer.params();
        if (sum.dense().size() != params.size()) {
            throw new IllegalArgumentException("gradients of " + sum.dense().size() + " parameters for an optimizer of " + params.size());
        }
        if (sum.examples() == 0) {
            throw new IllegalArgumentException("gradients of no examples");
        }
        float inv = (float) (1.0 / sum.examples());
        optimizer.zeroGrad();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor g = sum.dense().get(i);
                RowSparseGrad s = sum.sparse().get(i);
                params.get(i).setGrad(g == null ? null : g.mul(inv));
                params.get(i).setSparseGrad(s == null ? null : s.times(inv));
            }
        }
        if (clipNorm > 0) {
            GradClip.byNorm(params, clipNorm);
        }
        optimizer.step();
        model.applyConstraints();
    }
}
