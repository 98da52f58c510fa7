package org.omomi.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/**
 * The gradients of a model's parameters summed over the examples of one or more batches, with the
 * summed loss, the correct predictions and the number of examples: what a data-parallel trainer adds up across workers
 * before one optimizer step. Sums, not means, so that adding two parts of a batch gives the
 * gradient of the whole ({@link TrainStep#apply} divides by the examples).
 *
 * <p>{@link #plus} is a reduction in {@code Collector}'s sense: {@link #zero} is its identity, and
 * it is associative up to float rounding (exactly so when the sums are exact). Row-sparse
 * gradients of lookup tables stay row-sparse when added. Parameters are in the model's
 * {@code parameters()} order; a slot is null when no gradient reached that parameter. Immutable.
 */
public final class Gradients {

    private final List<Tensor> dense;
    private final List<RowSparseGrad> sparse;
    private final double lossSum;
    private final double correct;
    private final long examples;

    Gradients(List<Tensor> dense, List<RowSparseGrad> sparse, double lossSum, double correct, long examples) {
        this.dense = Collections.unmodifiableList(new ArrayList<>(dense));
        this.sparse = Collections.unmodifiableList(new ArrayList<>(sparse));
        this.lossSum = lossSum;
        this.correct = correct;
        this.examples = examples;
    }

    /** No gradients from no examples, for a model with {@code parameters} parameters. */
    public static Gradients zero(int parameters) {
        return new Gradients(Collections.nCopies(parameters, null), Collections.nCopies(parameters, null), 0, 0, 0);
    }

    /** Gradients from parts: each parameter's dense sum (or null) and row-sparse sum (or null). */
    public static Gradients of(List<Tensor> dense, List<RowSparseGrad> sparse, double lossSum, long examples) {
        return of(dense, sparse, lossSum, 0, examples);
    }

    /**
     * Gradients from parts, with the correct predictions among the examples (NaN where the
     * objective counts none, as {@link StepResult#correct}).
     */
    public static Gradients of(List<Tensor> dense, List<RowSparseGrad> sparse, double lossSum, double correct, long examples) {
        if (dense.size() != sparse.size()) {
            throw new IllegalArgumentException("Gradients: " + dense.size() + " dense and " + sparse.size() + " sparse slots");
        }
        return new Gradients(dense, sparse, lossSum, correct, examples);
    }

    /** The element-wise sum of two gradient sums of the same model. */
    public Gradients plus(Gradients other) {
        if (other.dense.size() != dense.size()) {
            throw new IllegalArgumentException("Gradients: models of " + dense.size() + " and " + other.dense.size() + " parameters");
        }
        List<Tensor> d = new ArrayList<>();
        List<RowSparseGrad> s = new ArrayList<>();
        for (int i = 0; i < dense.size(); i++) {
            Tensor a = dense.get(i);
            Tensor b = other.dense.get(i);
            d.add(a == null ? b : b == null ? a : a.add(b));
            RowSparseGrad x = sparse.get(i);
            RowSparseGrad y = other.sparse.get(i);
            s.add(x == null ? y : y == null ? x : x.plus(y).coalesce());
        }
        return new Gradients(d, s, lossSum + other.lossSum, correct + other.correct, examples + other.examples);
    }

    public List<Tensor> dense() {
        return dense;
    }

    public List<RowSparseGrad> sparse() {
        return sparse;
    }

    /** The summed data loss over the examples. */
    public double lossSum() {
        return lossSum;
    }

    /** The correct predictions among the examples (NaN where the objective counts none). */
    public double correct() {
        return correct;
    }

    public long examples() {
        return examples;
    }
}
