package org.omomi.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;

/**
 * A parameter-free operation of one or more tensors, as a module so that a model graph can name it
 * and a forward hook can see its output: joining branches ({@link #concat}, {@link #add},
 * {@link #multiply}, {@link #dot}) and the reductions of factorization machines ({@link #sum},
 * {@link #pairwiseInteractions}). Each is a tensor operation or a composition of them, so autograd
 * gives its backward.
 */
public final class TensorOp extends Module {

    private final String name;
    private final int arity; // 1, or -1 for two or more
    private final Function<List<Tensor>, Tensor> op;

    private TensorOp(String name, int arity, Function<List<Tensor>, Tensor> op) {
        this.name = name;
        this.arity = arity;
        this.op = op;
    }

    /** Inputs joined along {@code axis}. */
    public static TensorOp concat(int axis) {
        return new TensorOp("Concat(dim=" + axis + ")", -1, in -> Tensor.cat(axis, in.toArray(new Tensor[0])));
    }

    /** The element-wise sum of the inputs (broadcasting). */
    public static TensorOp add() {
        return new TensorOp("Add()", -1, in -> {
            Tensor s = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                s = s.add(in.get(i));
            }
            return s;
        });
    }

    /** The element-wise product of the inputs (broadcasting). */
    public static TensorOp multiply() {
        return new TensorOp("Multiply()", -1, in -> {
            Tensor p = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                p = p.mul(in.get(i));
            }
            return p;
        });
    }

    /** Two inputs [..., d] → Σ aᵢbᵢ over the last axis, kept as size 1: [..., 1]. */
    public static TensorOp dot() {
        return new TensorOp("Dot()", -1, in -> {
            if (in.size() != 2) {
                throw new IllegalArgumentException("dot takes two inputs, got " + in.size());
            }
            Tensor a = in.get(0);
            return a.mul(in.get(1)).sum(a.dim() - 1, true);
        });
    }

    /** The sum over {@code axis}, kept as size 1. */
    public static TensorOp sum(int axis) {
        return new TensorOp("Sum(dim=" + axis + ")", 1, in -> in.get(0).sum(axis, true));
    }

    /**
     * Field vectors v [N, F, k] → Σ_{i<j} ⟨vᵢ, vⱼ⟩ [N, 1] = ½·Σ_k((Σᵢ vᵢₖ)² − Σᵢ vᵢₖ²): all pairwise
     * interactions of a factorization machine in O(F·k) instead of O(F²·k) (Rendle 2010, eq. 4);
     * {@link Tensor#pairwiseInteractions()}.
     */
    public static TensorOp pairwiseInteractions() {
        return new TensorOp("PairwiseInteractions()", 1, in -> in.get(0).pairwiseInteractions());
    }

    /** Applies the operation to its inputs. */
    public Tensor apply(List<Tensor> inputs) {
        if (arity == 1 && inputs.size() != 1) {
            throw new IllegalArgumentException(name + " takes one input, got " + inputs.size());
        }
        if (arity == -1 && inputs.isEmpty()) {
            throw new IllegalArgumentException(name + " needs inputs");
        }
        return op.apply(inputs);
    }

    @Override
    public Tensor forward(Tensor input) {
        return apply(List.of(input));
    }

    /** The inputs in their order, as a graph passes a node's arguments. */
    @Override
    public Tensor forward(Inputs inputs) {
        List<Tensor> args = new ArrayList<>();
        inputs.names().forEach(n -> args.add(inputs.tensor(n)));
        return apply(args);
    }

    @Override
    protected String describe() {
        return name;
    }
}
