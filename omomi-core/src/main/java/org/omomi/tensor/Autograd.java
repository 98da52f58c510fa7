package org.omomi.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation over the graph that operations record as they run.
 *
 * <p>{@link Tensor#backward()} accumulates gradients into {@link Tensor#grad()} of every leaf that
 * requires one (and of intermediates that asked with {@link Tensor#retainGrad()}).
 * {@link #grad(Tensor, Tensor...)} instead returns the gradients with respect to any tensors of
 * the graph, leaves or intermediates, and leaves {@code grad()} alone; saliency, Grad-CAM and
 * Integrated Gradients are built on it.
 *
 * <p>Recording is on by default and per thread; {@link #noGrad()} switches it off for a scope:
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     // evaluation, weight updates: nothing is recorded
 * }
 * }</pre>
 */
public final class Autograd {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {}

    /** Whether operations on this thread record the graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which nothing is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return set(false);
    }

    /** A scope in which recording is on again (inside a {@link #noGrad()} scope, say). */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = on;
        return () -> flag[0] = previous;
    }

    /** A grad-mode scope; {@link #close()} restores the mode it replaced and throws nothing. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Gradients of a scalar {@code output} with respect to each of {@code inputs}. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        requireScalar(output, "grad");
        return vjp(output, Tensor.ones(output.shape()), inputs);
    }

    /**
     * The vector-Jacobian product: gradients of Σ output ⊙ gradOutput with respect to each of {@code inputs}, which may be leaves or intermediate results. An input the
     * output does not depend on gets a zero gradient.
     */
    public static Tensor[] vjp(Tensor output, Tensor gradOutput, Tensor... inputs) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("grad: the output does not require a gradient; did the inputs call requiresGrad(true)?");
        }
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(wanted, inputs);
        Map<Tensor, Tensor> found = run(output, gradOutput, wanted, false);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = found.get(inputs[i]);
            out[i] = g != null ? g : Tensor.zeros(inputs[i].shape());
        }
        return out;
    }

    static void backward(Tensor root, Tensor gradRoot) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: this tensor does not require a gradient; did the inputs call requiresGrad(true)?");
        }
        run(root, gradRoot, Collections.emptySet(), true);
    }

    private static void requireScalar(Tensor t, String op) {
        if (t.numel() != 1) {
            throw new IllegalArgumentException(op + ": the output has shape " + Shapes.str(t.shape())
                    + "; give the output's gradient for a non-scalar output");
        }
    }

    /**
     * Propagates gradients from the root in reverse topological order. Returns the gradients of
     * {@code wanted} tensors; when {@code accumulate}, adds into {@code grad()} of leaves and of
     * tensors that retain their gradient.
     */
    private static Map<Tensor, Tensor> run(Tensor root, Tensor gradRoot, Set<Tensor> wanted, boolean accumulate) {
        if (!java.util.Arrays.equals(root.shape(), gradRoot.shape())) {
            throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(gradRoot.shape())
                    + " given for an output of shape " + Shapes.str(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> result = new IdentityHashMap<>();
        grads.put(root, gradRoot.detach());
        try (Scope ignored = noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (wanted.contains(t)) {
                    result.put(t, g);
                }
                if (accumulate && (t.isLeaf() || t.retainsGrad())) {
                    t.accumulateGrad(g);
                }
                Node node = t.gradFn();
                if (node == null) {
                    continue;
                }
                if (node.sparse != null) {
                    // A lookup table's gradient as the rows a batch touched: accumulated as such into
                    // a leaf's sparseGrad() when training; made dense only when someone asks for it.
                    Tensor table = node.inputs[0];
                    if (table.requiresGrad()) {
                        RowSparseGrad rows = node.sparse.apply(g);
                        if (accumulate && table.isLeaf() && !wanted.contains(table)) {
                            table.accumulateSparseGrad(rows);
                        } else {
                            grads.merge(table, rows.toDense(), Tensor::add);
                        }
                    }
                }
                Tensor[] inputGrads = node.backward.apply(g);
                for (int k = 0; k < node.inputs.length; k++) {
                    Tensor in = node.inputs[k];
                    Tensor gi = inputGrads[k];
                    if (gi == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!java.util.Arrays.equals(gi.shape(), in.shape())) {
                        throw new IllegalStateException("backward of " + node.op + " returned a gradient of shape "
                                + Shapes.str(gi.shape()) + " for input " + k + " of shape " + Shapes.str(in.shape()));
                    }
                    grads.merge(in, gi, Tensor::add);
                }
            }
        }
        return result;
    }

    /** Tensors reachable from the root through recorded nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        // Iterative depth-first search: a long chain of operations must not overflow the stack.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        visited.add(root);
        stack.push(new Object[] {root, 0});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.gradFn();
            if (node != null && next < node.inputs.length) {
                frame[1] = next + 1;
                Tensor in = node.inputs[next];
                if (in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
