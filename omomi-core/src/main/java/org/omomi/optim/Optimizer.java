package org.omomi.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/**
 * Updates parameters from their gradients. Subclasses implement only the update of one parameter,
 * following {@code torch.optim} line by line (the algorithm is in each class's javadoc); this class
 * keeps parameter groups, per-parameter state (created lazily on the first step a parameter has a
 * gradient) and saving and loading that state.
 */
public abstract class Optimizer {

    /** Per-parameter state: the step count and named buffers, e.g. {@code exp_avg}. */
    protected static final class State {
        int step;
        final Map<String, float[]> buffers = new LinkedHashMap<>();

        /** The buffer with this name, created with {@code init} on first use. */
        float[] buffer(String name, int size, float init) {
            return buffers.computeIfAbsent(name, k -> {
                float[] b = new float[size];
                if (init != 0f) {
                    java.util.Arrays.fill(b, init);
                }
                return b;
            });
        }

        boolean has(String name) {
            return buffers.containsKey(name);
        }
    }

    private final List<ParamGroup> groups;
    private final Map<Tensor, State> states = new IdentityHashMap<>();

    protected Optimizer(List<ParamGroup> groups, double lr, double weightDecay, double momentum) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be ≥ 0, got " + lr);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": weight decay must be ≥ 0, got " + weightDecay);
        }
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) {
            g.resolve(lr, weightDecay, momentum);
            for (Tensor p : g.params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter appears in more than one group");
                }
                p.array(); // parameters must own a dense array
            }
        }
        this.groups = List.copyOf(groups);
    }

    /** One group holding every parameter. */
    protected static List<ParamGroup> single(List<Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    /** Updates every parameter that has a gradient. */
    public final void step() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    RowSparseGrad rows = p.sparseGrad();
                    if (grad == null && rows == null) {
                        continue;
                    }
                    State s = states.computeIfAbsent(p, k -> new State());
                    s.step++;
                    if (grad == null) {
                        RowSparseGrad c = rows.coalesce();
                        // Kept coalesced: the same gradient, and what reads it after the step (the
                        // divergence guard, the epoch's statistics) then reads each row once.
                        p.setSparseGrad(c);
                        updateRows(g, p.array(), c.dim(), c.indices(), c.values(), s);
                        continue;
                    }
                    if (rows != null) { // read both densely and by rows: one dense gradient
                        grad = grad.add(rows.toDense());
                    }
                    float[] gv = grad.ownsArray() ? grad.array() : grad.toArray(); // read only
                    update(g, p.array(), gv, s);
                }
            }
        }
    }

    /**
     * g + λ·p in a new array (the gradient itself when λ = 0): coupled weight decay, as PyTorch's
     * {@code grad.add(param, alpha=weight_decay)}, fused like its vectorized kernel.
     */
    protected static float[] addWeightDecay(float[] g, float[] p, float weightDecay) {
        if (weightDecay == 0f) {
            return g;
        }
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.fma(weightDecay, p[i], g[i]);
        }
        return out;
    }

    /** Updates one parameter in place; {@code state.step} has already been incremented. */
    protected abstract void update(ParamGroup group, float[] param, float[] grad, State state);

    /**
     * Updates a lookup table whose gradient is row-sparse: {@code rows} are distinct and increasing,
     * {@code values} holds one gradient row of {@code dim} values per row. Optimizers that can do so
     * touch only those rows ({@link Sgd}, {@link Adagrad}, {@link Adam} as {@code SparseAdam}); this
     * default makes the gradient dense and takes the ordinary step, so its result is the dense one.
     */
    protected void updateRows(ParamGroup group, float[] param, int dim, int[] rows, float[] values, State state) {
        update(group, param, dense(param.length, dim, rows, values), state);
    }

    /**
     * Whether a step on a row-sparse gradient in this group changes only the rows the gradient
     * lists (and their state): true where {@link #updateRows} is overridden to do so, false (this
     * default) where the step is the dense one.
     */
    protected boolean updatesOnlyListedRows(ParamGroup group) {
        return false;
    }

    /**
     * Whether the last {@link #step()} changed {@code p} only in the rows of its row-sparse
     * gradient: it has one and no dense gradient, and its group's update is row-sparse. A check of
     * the parameter after the step (the divergence guard) then reads those rows, not the table.
     */
    public final boolean changedOnlyListedRows(Tensor p) {
        if (p.grad() != null || p.sparseGrad() == null) {
            return false;
        }
        for (ParamGroup g : groups) {
            for (Tensor q : g.params()) {
                if (q == p) {
                    return updatesOnlyListedRows(g);
                }
            }
        }
        return false;
    }

    /** The dense gradient of a table from its rows. */
    protected static float[] dense(int size, int dim, int[] rows, float[] values) {
        float[] g = new float[size];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, i * dim, g, rows[i] * dim, dim);
        }
        return g;
    }

    /**
     * Forgets every gradient (sets them to null, as PyTorch's {@code zero_grad(set_to_none=True)}).
     * The next backward pass writes the new gradients into the arrays of the old ones
     * ({@link Tensor#releaseGrad()}): a step then allocates no weight-sized arrays, and the weights'
     * gradients stay in memory the caches hold. A gradient tensor obtained before {@code zeroGrad}
     * is overwritten by the next backward; copy it ({@code toArray()}) to keep it.
     */
    public final void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                p.releaseGrad();
            }
        }
    }

    public final List<ParamGroup> groups() {
        return groups;
    }

    /** Every parameter, in group order; state keys refer to positions in this list. */
    public final List<Tensor> params() {
        List<Tensor> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.params()));
        return all;
    }

    /**
     * Everything an optimizer needs to continue a run: per-parameter buffers as tensors
     * ({@code state.I.exp_avg} for parameter I), and in full precision the step counts
     * ({@code state.I.step}) and each group's {@code group.G.lr}, {@code group.G.weight_decay} and
     * {@code group.G.momentum}. Buffer names are PyTorch's.
     */
    public record Snapshot(Map<String, Tensor> buffers, Map<String, Double> values) {
        public Snapshot {
            buffers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** A copy of the state; see {@link Snapshot}. */
    public final Snapshot stateDict() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        List<Tensor> all = params();
        for (int i = 0; i < all.size(); i++) {
            State s = states.get(all.get(i));
            if (s == null) {
                continue;
            }
            values.put("state." + i + ".step", (double) s.step);
            for (Map.Entry<String, float[]> e : s.buffers.entrySet()) {
                buffers.put("state." + i + "." + e.getKey(), Tensor.of(e.getValue(), all.get(i).shape()));
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            values.put("group." + gi + ".lr", g.lr());
            values.put("group." + gi + ".weight_decay", g.weightDecay());
            values.put("group." + gi + ".momentum", g.momentum());
        }
        return new Snapshot(buffers, values);
    }

    /** Restores state saved by {@link #stateDict()} from an optimizer of the same kind over the same parameters. */
    public final void loadStateDict(Snapshot snapshot) {
        List<Tensor> all = params();
        Map<Tensor, State> restored = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : snapshot.buffers().entrySet()) {
            String[] key = parseKey(e.getKey(), "state", all.size());
            Tensor p = all.get(Integer.parseInt(key[1]));
            if (e.getValue().numel() != p.numel()) {
                throw new IllegalArgumentException("optimizer state: '" + e.getKey() + "' has " + e.getValue().numel()
                        + " values for a parameter of " + p.numel());
            }
            restored.computeIfAbsent(p, k -> new State()).buffers.put(key[2], e.getValue().toArray());
        }
        for (Map.Entry<String, Double> e : snapshot.values().entrySet()) {
            if (e.getKey().startsWith("state.")) {
                String[] key = parseKey(e.getKey(), "state", all.size());
                if (!key[2].equals("step")) {
                    throw new IllegalArgumentException("optimizer state: unexpected key '" + e.getKey() + "'");
                }
                restored.computeIfAbsent(all.get(Integer.parseInt(key[1])), k -> new State()).step = e.getValue().intValue();
            } else {
                String[] key = parseKey(e.getKey(), "group", groups.size());
                ParamGroup g = groups.get(Integer.parseInt(key[1]));
                double v = e.getValue();
                switch (key[2]) {
                    case "lr": g.setLr(v); break;
                    case "weight_decay": g.withWeightDecay(v); break;
                    case "momentum": g.setMomentum(v); break;
                    default: throw new IllegalArgumentException("optimizer state: unexpected key '" + e.getKey() + "'");
                }
            }
        }
        states.clear();
        states.putAll(restored);
    }

    /** Splits "kind.INDEX.name", checking the kind and that the index is below {@code count}. */
    private static String[] parseKey(String key, String kind, int count) {
        String[] parts = key.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(kind)) {
            throw new IllegalArgumentException("optimizer state: unexpected key '" + key + "'");
        }
        int index;
        try {
            index = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer state: unexpected key '" + key + "'");
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("optimizer state: '" + key + "' refers to " + kind + " " + index + " of " + count);
        }
        return parts;
    }
}
