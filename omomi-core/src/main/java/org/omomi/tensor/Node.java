package org.omomi.tensor;

/**
 * One recorded operation of the autograd graph: its name, its inputs, and the rule that turns the
 * gradient of its output into gradients of its inputs. Built by define-by-run: each differentiable
 * operation attaches a node to the tensor it returns when any input requires a gradient.
 */
final class Node {

    /** The chain rule of one operation: given dLoss/dOutput, return dLoss/dInput per input (null where not needed). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /** The chain rule for a lookup table read by row: the gradient of input 0 as the rows it touched. */
    @FunctionalInterface
    interface SparseBackward {
        RowSparseGrad apply(Tensor gradOutput);
    }

    final String op;
    final Tensor[] inputs;
    final Backward backward;
    final SparseBackward sparse; // null for every op but a sparse embedding lookup

    Node(String op, Tensor[] inputs, Backward backward) {
        this(op, inputs, backward, null);
    }

    Node(String op, Tensor[] inputs, Backward backward, SparseBackward sparse) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
        this.sparse = sparse;
    }
}
