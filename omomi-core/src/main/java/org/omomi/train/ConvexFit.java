package org.omomi.train;

import java.util.ArrayList;
import java.util.List;
import org.omomi.data.Batch;
import org.omomi.data.Dataset;
import org.omomi.loss.L1Loss;
import org.omomi.nn.Module;
import org.omomi.optim.Lbfgs;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Fits a model whose loss is convex in its weights (logistic regression, softmax regression,
 * linear regression: one {@code Dense} layer) to tolerance on a whole data set, by full-batch
 * {@link Lbfgs}, instead of a fixed number of mini-batch epochs that may stop short.
 *
 * <p>The objective is the head's training loss on every training example at once, plus the
 * model's penalties: L(w) = {@link Head#lossOf}(model(X), y) + {@link Module#penaltyTotal()} —
 * binary cross-entropy with logits, softmax cross-entropy or mean squared error, each a mean over
 * the examples, and λ·Σw² for L2 penalties. It starts from the model's current weights and leaves
 * the fitted weights in the model. The model is evaluated in evaluation mode (no dropout: a line
 * search needs the same loss at the same weights) and put back in the mode it was in.
 *
 * <p>Refused: L1 penalties and the L1 loss, whose kinks at zero break the line search's
 * assumptions (OWL-QN would handle them; it is not implemented); train those with mini-batches.
 * On a model that is not convex (hidden layers) the fit still ends at a stationary point, but
 * which one depends on the start.
 *
 * <p>Same data and start give bit-identical weights whatever the thread count ({@link Lbfgs}).
 */
public final class ConvexFit {

    /**
     * When to stop.
     *
     * @param maxIterations     L-BFGS iterations at most; default 500
     * @param gradientTolerance converged when the largest |∂L/∂wᵢ| is at most this · max(1, L); default 1e-6
     * @param history           L-BFGS curvature pairs; default 10
     */
    public record Options(int maxIterations, double gradientTolerance, int history) {

        public Options {
            new Lbfgs.Options(maxIterations, gradientTolerance, history, 25); // validates, with the same messages
        }

        /** 500 iterations, gradient tolerance 1e-6, 10 curvature pairs. */
        public static Options defaults() {
            return new Options(500, 1e-6, 10);
        }

        public Options withMaxIterations(int n) {
            return new Options(n, gradientTolerance, history);
        }

        public Options withGradientTolerance(double tol) {
            return new Options(maxIterations, tol, history);
        }
    }

    /** The state after one L-BFGS iteration: the objective, max |gᵢ|, and the validation loss (NaN without a validation set). */
    public record Iteration(int iteration, double loss, double gradientNorm, double valLoss) {}

    /**
     * How the fit ended.
     *
     * @param converged    whether the gradient criterion was met
     * @param reason       one line, e.g. "gradient max |g| 3.1e-07 below tolerance 1.0e-06" or
     *                     "iteration limit 500 reached (…)"
     * @param iterations   L-BFGS iterations taken
     * @param evaluations  full passes over the training set (loss and gradient)
     * @param loss         the objective at the fitted weights: mean data loss plus penalties
     * @param gradientNorm the largest |∂L/∂wᵢ| at the fitted weights
     * @param valLoss      the head's loss on the validation set at the fitted weights; NaN without one
     * @param trace        one entry per iteration, in order
     */
    public record Result(boolean converged, String reason, int iterations, int evaluations, double loss, double gradientNorm,
                         double valLoss, List<Iteration> trace) {}

    private ConvexFit() {}

    /**
     * Fits {@code model} to {@code train} with {@code head}'s loss plus the model's penalties;
     * {@code val} (may be null) is only measured, after each iteration and at the end.
     */
    public static Result fit(Module model, Head head, Dataset train, Dataset val, Options options) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("ConvexFit: the training set is empty");
        }
        if (head.loss() instanceof L1Loss) {
            throw new IllegalArgumentException("ConvexFit: the L1 loss is not differentiable where a prediction equals its target;"
                    + " train it with mini-batches");
        }
        for (String term : model.penaltyTerms().keySet()) {
            if (term.startsWith("l1(")) {
                throw new IllegalArgumentException("ConvexFit: the penalty " + term + " is not differentiable at zero;"
                        + " train a model with L1 penalties with mini-batches");
            }
        }
        List<Tensor> parameters = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (p.requiresGrad()) {
                parameters.add(p);
            }
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("ConvexFit: the model has no trainable parameters");
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            Batch all = train.all();
            Batch valAll = val == null || val.size() == 0 ? null : val.all();
            Lbfgs.Closure objective = () -> head.lossOf(model.call(all.inputs()), all.y()).add(model.penaltyTotal());
            List<Iteration> trace = new ArrayList<>();
            Lbfgs lbfgs = new Lbfgs(parameters, new Lbfgs.Options(options.maxIterations(), options.gradientTolerance(), options.history(), 25));
            Lbfgs.Result r = lbfgs.minimize(objective, (i, loss, g) -> trace.add(new Iteration(i, loss, g, valLoss(model, head, valAll))));
            return new Result(r.converged(), r.reason(), r.iterations(), r.evaluations(), r.loss(), r.gradientNorm(),
                    valLoss(model, head, valAll), List.copyOf(trace));
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    private static double valLoss(Module model, Head head, Batch val) {
        if (val == null) {
            return Double.NaN;
        }
        try (var ignored = Autograd.noGrad()) {
            return head.lossOf(model.call(val.inputs()), val.y()).item();
        }
    }
}
