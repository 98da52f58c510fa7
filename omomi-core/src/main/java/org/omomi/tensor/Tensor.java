package org.omomi.tensor;

import java.util.Arrays;

/**
 * An n-dimensional array of float32 values that records, when asked, how it was computed, so
 * that gradients can flow back through it.
 *
 * <h2>Storage</h2>
 * Values live in a Java {@code float[]} in row-major order. A tensor is that array plus an offset,
 * a shape and strides; {@link #reshape}, {@link #permute}, {@link #transpose}, {@link #slice} and
 * {@link #expand} return views that share the array. Tensors are immutable except through the few
 * in-place methods ({@link #fill}, {@link #copyFrom}), which refuse to run where they would corrupt
 * a recorded graph.
 *
 * <h2>Broadcasting</h2>
 * Binary operations follow NumPy's rules, but through an explicit, recorded {@link #expand} whose
 * backward is a sum: the primitive operations themselves only ever see equal shapes.
 *
 * <h2>Autograd</h2>
 * A tensor created with {@link #requiresGrad(boolean) requiresGrad(true)} is a leaf; every
 * differentiable operation on it returns a tensor carrying the operation's backward rule.
 * {@link #backward()} runs them in reverse order and accumulates {@link #grad()} on the leaves;
 * {@link Autograd#grad(Tensor, Tensor...)} returns gradients with respect to any tensor. Each
 * operation's backward sits directly under its forward: in this class for the elementwise
 * operations and reductions, and otherwise in the package-private class the body is delegated
 * to ({@code Views}, {@code Indexing}, {@code MatrixProduct}, {@code Normalization},
 * {@code Convolution}, {@code Pooling}, {@code BinaryCrossEntropy}), so that this class reads as
 * the table of contents of what a tensor can do.
 *
 * <p>Shape errors name the operation and the shapes involved, for example
 * {@code matmul: shapes [2, 3] and [4, 5] do not match (3 ≠ 4)}.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;
    final int numel;

    private boolean requiresGrad;
    private Node gradFn;
    private Tensor grad;
    private RowSparseGrad sparseGrad;
    private boolean retainsGrad;
    /** A released gradient's array, for the next one (see releaseGrad). */
    private float[] spareGrad;
    /**
     * Set by a backward rule on a gradient it has just allocated and hands to one input only: a
     * leaf may then keep that array as its gradient instead of copying it (see accumulateGrad).
     */
    boolean exclusive;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = Shapes.numel(shape);
    }

    /** A dense tensor over {@code data} (not copied). */
    Tensor(float[] data, int[] shape) {
        this(data, 0, shape, Shapes.contiguousStrides(shape));
    }

    // ------------------------------------------------------------------ creation

    /** A tensor with a copy of {@code values}, laid out row-major in {@code shape}. */
    public static Tensor of(float[] values, int... shape) {
        int n = Shapes.numel(shape);
        if (n != values.length) {
            throw new IllegalArgumentException("of: " + values.length + " values do not fill shape " + Shapes.str(shape) + " (" + n + " elements)");
        }
        return new Tensor(values.clone(), shape.clone());
    }

    /** A matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    /** A vector with a copy of {@code values}. */
    public static Tensor vector(float... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A tensor of rank 0. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A tensor over {@code data} without copying it: later writes to the array show through. */
    public static Tensor wrap(float[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("wrap: an array of " + data.length + " values cannot have shape " + Shapes.str(shape));
        }
        return new Tensor(data, shape.clone());
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.numel(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shapes.numel(shape)];
        Arrays.fill(data, value);
        return new Tensor(data, shape.clone());
    }

    /** The vector 0, 1, …, n−1. */
    public static Tensor arange(int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        return new Tensor(data, new int[] {n});
    }

    /** {@code steps} evenly spaced values from start to end inclusive. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("linspace: steps must be at least 1, got " + steps);
        }
        float[] data = new float[steps];
        double step = steps == 1 ? 0 : ((double) end - start) / (steps - 1);
        for (int i = 0; i < steps; i++) {
            data[i] = (float) (start + i * step);
        }
        if (steps > 1) {
            data[steps - 1] = end;
        }
        return new Tensor(data, new int[] {steps});
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        float[] data = new float[n * n];
        for (int i = 0; i < n; i++) {
            data[i * n + i] = 1f;
        }
        return new Tensor(data, new int[] {n, n});
    }

    /** Uniform in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Uniform in [lo, hi). */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        rng.fillUniform(t.data, lo, hi);
        return t;
    }

    /** Standard normal. */
    public static Tensor randn(Rng rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        rng.fillNormal(t.data, mean, std);
        return t;
    }

    /**
     * Normal(mean, std²) truncated to [a, b] (absolute bounds, as in
     * {@code torch.nn.init.trunc_normal_}), sampled by inverting the CDF.
     */
    public static Tensor truncatedNormal(Rng rng, float mean, float std, float a, float b, int... shape) {
        Tensor t = zeros(shape);
        rng.fillTruncatedNormal(t.data, mean, std, a, b);
        return t;
    }

    /** 1 with probability p, else 0. */
    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        Tensor t = zeros(shape);
        rng.fillBernoulli(t.data, p);
        return t;
    }

    /** Rows of length {@code classes} with a 1 at each label: shape [labels.length, classes]. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] data = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at position " + i + " is outside [0, " + classes + ")");
            }
            data[i * classes + labels[i]] = 1f;
        }
        return new Tensor(data, new int[] {labels.length, classes});
    }

    // ------------------------------------------------------------------ inspection

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dimension; negative axes count from the end. */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    int[] stridesRef() {
        return strides;
    }

    int[] shapeRef() {
        return shape;
    }

    /** The strides in elements (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Whether the elements are laid out row-major without gaps. */
    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** Laid out row-major from the start of its array: the form kernels read directly. */
    boolean isDense() {
        return offset == 0 && isContiguous();
    }

    /** Whether {@link #array()} can be called: this tensor owns its whole array, densely. */
    public boolean ownsArray() {
        return isDense() && data.length == numel;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel != 1) {
            throw new IllegalStateException("item: the tensor has shape " + Shapes.str(shape) + ", not one element");
        }
        return data[offset];
    }

    /** The element at the given index. */
    public float get(int... index) {
        return data[flatOffset(index, "get")];
    }

    private int flatOffset(int[] index, String op) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int o = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " is out of range for dimension " + d + " of size " + shape[d]);
            }
            o += i * strides[d];
        }
        return o;
    }

    /** The elements in row-major order, in a new array. */
    public float[] toArray() {
        if (isContiguous()) {
            return Arrays.copyOfRange(data, offset, offset + numel);
        }
        float[] out = new float[numel];
        Strided.copy(data, offset, shape, strides, out);
        return out;
    }

    /**
     * The array behind a tensor that owns its whole array (dense, from index 0), for code that updates
     * values in place in bulk, such as optimizers and initializers. Writes bypass autograd; make
     * them inside {@link Autograd#noGrad()}, and only on tensors nothing else has recorded.
     *
     * @throws IllegalStateException when this tensor is a view
     */
    public float[] array() {
        if (!ownsArray()) {
            throw new IllegalStateException("array: the tensor is a view (offset " + offset + ", strides "
                    + Arrays.toString(strides) + "); call contiguous() or toArray()");
        }
        return data;
    }

    /** The elements of a dense tensor's array; copies only if this tensor is a view. */
    float[] denseData() {
        return isDense() ? data : toArray();
    }

    // ------------------------------------------------------------------ autograd

    /** Whether gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient; returns this. Intermediate results cannot be changed. */
    public Tensor requiresGrad(boolean on) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: only leaves can be changed; this tensor is the result of " + gradFn.op + " (use detach())");
        }
        requiresGrad = on;
        return this;
    }

    /** Whether this tensor was created by the user rather than by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient, or null before the first backward pass reaches it. */
    public Tensor grad() {
        return grad;
    }

    /**
     * The accumulated gradient of a lookup table read through a sparse
     * {@link #embedding(IntTensor, Tensor, boolean) embedding}: only the rows batches touched. Null
     * when there is none; a table read both ways has both this and {@link #grad()}.
     */
    public RowSparseGrad sparseGrad() {
        return sparseGrad;
    }

    /** Sets the row-sparse gradient (gradient clipping, a distributed sum); its table must have this shape. */
    public void setSparseGrad(RowSparseGrad g) {
        if (g != null && !Arrays.equals(g.shape(), shape)) {
            throw new IllegalArgumentException("setSparseGrad: gradient of a " + Shapes.str(g.shape()) + " table for a tensor of shape " + Shapes.str(shape));
        }
        sparseGrad = g;
    }

    /** Forgets the accumulated gradients, dense and row-sparse. */
    public void clearGrad() {
        grad = null;
        sparseGrad = null;
    }

    /**
     * Forgets the gradients as {@link #clearGrad()} does, and lets the next backward pass write
     * this tensor's next dense gradient into the array of the one forgotten instead of allocating
     * one: what an optimizer's {@code zeroGrad} does between steps, so a training loop's weight
     * gradients stay in the same (cache-warm) memory. Whoever still holds the forgotten gradient
     * tensor will see it overwritten; copy a gradient ({@link #toArray()}) to keep it.
     */
    public void releaseGrad() {
        if (grad != null && grad.ownsArray() && grad.data.length == numel) {
            spareGrad = grad.data;
        }
        clearGrad();
    }

    /**
     * An array of {@code n} floats for a backward rule to write this tensor's gradient into (every
     * element; contents undefined): the array {@link #releaseGrad()} kept, or a new one.
     */
    float[] gradArray(int n) {
        float[] a = spareGrad;
        if (a != null && a.length == n) {
            spareGrad = null;
            return a;
        }
        return new float[n];
    }

    /** Sets the gradient, for optimizers and gradient clipping; the shape must match. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape) + " for a tensor of shape " + Shapes.str(shape));
        }
        grad = g;
    }

    /** Asks an intermediate result to keep its gradient in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: the tensor does not require a gradient");
        }
        retainsGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainsGrad;
    }

    /** The name of the operation that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    Node gradFn() {
        return gradFn;
    }

    /** Backward from a scalar: d(this)/d(leaf) is accumulated into every leaf's grad(). */
    public void backward() {
        if (numel != 1) {
            throw new IllegalStateException("backward: the tensor has shape " + Shapes.str(shape) + "; backward() needs one element, or call backward(gradient)");
        }
        Autograd.backward(this, ones(shape));
    }

    /** Backward with a given gradient of this tensor (a vector-Jacobian product). */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient);
    }

    /** The same values, cut from the graph: no gradient flows through the result. Shares data. */
    public Tensor detach() {
        return new Tensor(data, offset, shape, strides);
    }

    void accumulateSparseGrad(RowSparseGrad g) {
        sparseGrad = sparseGrad == null ? g : sparseGrad.plus(g);
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            if (g.exclusive && isLeaf() && g.ownsArray()) {
                // A fresh array that no other tensor shares: keep it (a copy was a quarter of the
                // bytes a B2 training step allocated, the weight gradients all over again).
                g.exclusive = false;
                grad = new Tensor(g.data, shape.clone());
            } else {
                grad = new Tensor(g.toArray(), shape.clone()); // owned: g may be a view of another tensor
            }
        } else {
            float[] add = g.denseData();
            if (!grad.isDense()) {
                grad = new Tensor(grad.toArray(), shape.clone());
            }
            Elementwise.binary(Elementwise.ADD, grad.data, add, grad.data, numel);
        }
    }

    /** Marks a gradient just allocated by a backward rule for one input as {@link #exclusive}; returns it. */
    static Tensor exclusive(Tensor fresh) {
        fresh.exclusive = true;
        return fresh;
    }

    /** Records the node on {@code out} when grad mode is on and an input requires a gradient. */
    static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        out.gradFn = new Node(op, inputs, backward);
        out.requiresGrad = true;
        return out;
    }

    /** Records a lookup whose gradient for input 0 is row-sparse ({@link Node.SparseBackward}). */
    static Tensor recordSparse(Tensor out, String op, Node.Backward backward, Node.SparseBackward sparse, Tensor... inputs) {
        out.gradFn = new Node(op, inputs, backward, sparse);
        out.requiresGrad = true;
        return out;
    }

    /** Whether an operation on these inputs must be recorded. */
    static boolean tracks(Tensor a) {
        return a.requiresGrad && Autograd.isEnabled();
    }

    static boolean tracks(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && Autograd.isEnabled();
    }

    // ------------------------------------------------------------------ in place (no graph)

    private void checkWritable(String op) {
        if (Autograd.isEnabled() && (requiresGrad || gradFn != null)) {
            throw new IllegalStateException(op + ": in-place change of a tensor that is part of the autograd graph; do it inside Autograd.noGrad()");
        }
    }

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill(float value) {
        checkWritable("fill");
        if (isContiguous()) {
            Arrays.fill(data, offset, offset + numel, value);
        } else {
            Strided.scatter(full(value, shape).data, data, offset, shape, strides);
        }
        return this;
    }

    /** Copies the values of {@code src} (broadcast to this shape) into this tensor; returns this. */
    public Tensor copyFrom(Tensor src) {
        checkWritable("copyFrom");
        Tensor s = src.expandTo("copyFrom", shape);
        float[] values = s.toArray();
        if (isContiguous()) {
            System.arraycopy(values, 0, data, offset, numel);
        } else {
            Strided.scatter(values, data, offset, shape, strides);
        }
        return this;
    }

    // ------------------------------------------------------------------ unary elementwise

    private Tensor map(int op, float p, float q) {
        float[] out = new float[numel];
        Elementwise.unary(op, denseData(), out, numel, p, q);
        return new Tensor(out, shape.clone());
    }

    /** −x. */
    public Tensor neg() {
        return mul(-1f);
    }

    /** eˣ. */
    public Tensor exp() {
        Tensor out = map(Elementwise.EXP, 0, 0);
        return tracks(this) ? record(out, "exp", g -> new Tensor[] {g.mul(out)}, this) : out;
    }

    /** Natural logarithm. */
    public Tensor log() {
        Tensor out = map(Elementwise.LOG, 0, 0);
        return tracks(this) ? record(out, "log", g -> new Tensor[] {g.div(this)}, this) : out;
    }

    /** ln(1 + x), accurate for small x. */
    public Tensor log1p() {
        Tensor out = map(Elementwise.LOG1P, 0, 0);
        return tracks(this) ? record(out, "log1p", g -> new Tensor[] {g.div(this.add(1f))}, this) : out;
    }

    /** √x. */
    public Tensor sqrt() {
        Tensor out = map(Elementwise.SQRT, 0, 0);
        return tracks(this) ? record(out, "sqrt", g -> new Tensor[] {g.div(out.mul(2f))}, this) : out;
    }

    /** |x|; the gradient at 0 is 0, as in PyTorch. */
    public Tensor abs() {
        Tensor out = map(Elementwise.ABS, 0, 0);
        return tracks(this) ? record(out, "abs", g -> new Tensor[] {g.mul(this.sign())}, this) : out;
    }

    /** −1, 0 or 1 by the sign of x (no gradient). */
    public Tensor sign() {
        return map(Elementwise.SIGN, 0, 0);
    }

    /** max(x, 0); the gradient at 0 is 0, as in PyTorch. */
    public Tensor relu() {
        Tensor out = map(Elementwise.RELU, 0, 0);
        return tracks(this) ? record(out, "relu", g -> new Tensor[] {g.zip(Elementwise.PASS_IF_POSITIVE, out)}, this) : out;
    }

    /** σ(x) = 1 / (1 + e⁻ˣ). */
    public Tensor sigmoid() {
        Tensor out = map(Elementwise.SIGMOID, 0, 0);
        return tracks(this) ? record(out, "sigmoid", g -> new Tensor[] {g.mul(out.mul(out.neg().add(1f)))}, this) : out;
    }

    /** tanh x. */
    public Tensor tanh() {
        Tensor out = map(Elementwise.TANH, 0, 0);
        return tracks(this) ? record(out, "tanh", g -> new Tensor[] {g.mul(out.mul(out).neg().add(1f))}, this) : out;
    }

    /** The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt. */
    public Tensor erf() {
        Tensor out = map(Elementwise.ERF, 0, 0);
        return tracks(this)
                ? record(out, "erf", g -> new Tensor[] {g.mul(this.mul(this).neg().exp().mul((float) (2 / Math.sqrt(Math.PI))))}, this)
                : out;
    }

    /** xᵖ for a constant p; the gradient p·xᵖ⁻¹ is 0 where p = 0, as in PyTorch. */
    public Tensor pow(float p) {
        Tensor out = map(Elementwise.POW, p, 0);
        return tracks(this)
                ? record(out, "pow", g -> new Tensor[] {p == 0f ? zeros(shape) : g.mul(this.pow(p - 1f).mul(p))}, this)
                : out;
    }

    /**
     * Clamps into [lo, hi]. The gradient passes where lo ≤ x ≤ hi, bounds included, as in
     * PyTorch's clamp.
     */
    public Tensor clamp(float lo, float hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: lower bound " + lo + " is above upper bound " + hi);
        }
        Tensor out = map(Elementwise.CLAMP, lo, hi);
        return tracks(this) ? record(out, "clamp", g -> new Tensor[] {g.mul(this.ge(lo).mul(this.le(hi)))}, this) : out;
    }

    /** max(x, lo). */
    public Tensor clampMin(float lo) {
        return clamp(lo, Float.POSITIVE_INFINITY);
    }

    /** min(x, hi). */
    public Tensor clampMax(float hi) {
        return clamp(Float.NEGATIVE_INFINITY, hi);
    }

    /** 1 where x is NaN, else 0 (no gradient). */
    public Tensor isNaN() {
        return map(Elementwise.IS_NAN, 0, 0);
    }

    /** 1 where x is finite, else 0 (no gradient). */
    public Tensor isFinite() {
        return map(Elementwise.IS_FINITE, 0, 0);
    }

    /** max(x, 0) + slope·min(x, 0); the gradient at 0 is the slope, as in PyTorch. */
    public Tensor leakyRelu(float slope) {
        return where(gt(0f), this, mul(slope));
    }

    /** x for x &gt; 0, else α(eˣ − 1). */
    public Tensor elu(float alpha) {
        // exp(min(x, 0)): the unused branch must not overflow, or 0·∞ = NaN poisons its gradient.
        return where(gt(0f), this, clampMax(0f).exp().sub(1f).mul(alpha));
    }

    /** GELU, exact: x·Φ(x) = x·½(1 + erf(x/√2)). */
    public Tensor gelu() {
        return mul(mul((float) (1 / Math.sqrt(2))).erf().add(1f).mul(0.5f));
    }

    /**
     * Softplus (1/β)·ln(1 + e^(βx)), which reverts to x where βx &gt; threshold, as PyTorch's
     * {@code Softplus(beta, threshold)} does.
     */
    public Tensor softplus(float beta, float threshold) {
        Tensor bx = mul(beta);
        Tensor smooth = bx.clampMax(threshold).exp().log1p().div(beta);
        return where(bx.gt(threshold), this, smooth);
    }

    /**
     * Elementwise binary cross-entropy −w[t·ln x + (1 − t)·ln(1 − x)] of probabilities x against
     * targets t, exactly as PyTorch's {@code binary_cross_entropy}: each logarithm is clamped at
     * −100 so x = 0 or 1 gives a finite loss, and the gradient is (x − t) / max(x(1 − x), 10⁻¹²),
     * finite too. No reduction.
     */
    public Tensor binaryCrossEntropy(Tensor target) {
        return BinaryCrossEntropy.of(this, target);
    }

    /**
     * Elementwise binary cross-entropy of logits x (before the sigmoid) against targets t,
     * (1 − t)·x + ln(1 + e^−x) = −[t·ln σ(x) + (1 − t)·ln(1 − σ(x))], as PyTorch's
     * {@code binary_cross_entropy_with_logits} without weights: finite for every finite x, with
     * the gradient σ(x) − t (and −x for the targets). One fused operation. No reduction.
     */
    public Tensor binaryCrossEntropyWithLogits(Tensor target) {
        return BinaryCrossEntropyWithLogits.of(this, target);
    }

    /**
     * Field vectors v [N, F, k] → Σ_{f<g} ⟨v_f, v_g⟩ [N, 1] = ½·Σ_k((Σ_f v_fk)² − Σ_f v_fk²): every
     * pairwise interaction of a factorization machine in O(F·k) instead of O(F²·k) (Rendle 2010,
     * eq. 4), summed in double, with the gradient s_k − v_fk where s_k = Σ_f v_fk. One fused operation.
     */
    public Tensor pairwiseInteractions() {
        return PairwiseInteractions.of(this);
    }

    // ------------------------------------------------------------------ scalar arithmetic

    /** x + c. */
    public Tensor add(float c) {
        Tensor out = map(Elementwise.AFFINE, 1f, c);
        return tracks(this) ? record(out, "add", g -> new Tensor[] {g}, this) : out;
    }

    /** x − c. */
    public Tensor sub(float c) {
        return add(-c);
    }

    /** c·x. */
    public Tensor mul(float c) {
        Tensor out = map(Elementwise.AFFINE, c, 0f);
        return tracks(this) ? record(out, "mul", g -> new Tensor[] {g.mul(c)}, this) : out;
    }

    /** x / c. */
    public Tensor div(float c) {
        Tensor out = map(Elementwise.DIV_BY, c, 0f); // x / c exactly, not x · (1/c)
        return tracks(this) ? record(out, "div", g -> new Tensor[] {g.div(c)}, this) : out;
    }

    // ------------------------------------------------------------------ binary elementwise

    /** Both operands expanded to their broadcast shape, as views (recorded, so gradients sum back). */
    private Tensor[] broadcastWith(String op, Tensor other) {
        if (Arrays.equals(shape, other.shape)) {
            return new Tensor[] {this, other};
        }
        int[] target = Shapes.broadcast(op, shape, other.shape);
        return new Tensor[] {expandTo(op, target), other.expandTo(op, target)};
    }

    /** this op other for equal shapes, on the dense fast path when it can; nothing recorded. */
    Tensor zip(int op, Tensor other) {
        return zip(op, this, other);
    }

    private static Tensor zip(int op, Tensor a, Tensor b) {
        float[] out = new float[a.numel];
        if (a.isDense() && b.isDense()) {
            Elementwise.binary(op, a.data, b.data, out, a.numel);
        } else {
            int[] dense = Shapes.contiguousStrides(a.shape);
            Strided.Walk w = new Strided.Walk(a.shape, new int[][] {a.strides, b.strides, dense}, new int[] {a.offset, b.offset, 0});
            Elementwise.binary(op, w, a.data, b.data, out);
        }
        return new Tensor(out, a.shape.clone());
    }

    /** x + y, broadcasting. */
    public Tensor add(Tensor other) {
        Tensor[] ab = broadcastWith("add", other);
        Tensor out = zip(Elementwise.ADD, ab[0], ab[1]);
        return tracks(ab[0], ab[1]) ? record(out, "add", g -> new Tensor[] {g, g}, ab[0], ab[1]) : out;
    }

    /** x − y, broadcasting. */
    public Tensor sub(Tensor other) {
        Tensor[] ab = broadcastWith("sub", other);
        Tensor out = zip(Elementwise.SUB, ab[0], ab[1]);
        return tracks(ab[0], ab[1]) ? record(out, "sub", g -> new Tensor[] {g, ab[1].requiresGrad ? g.neg() : null}, ab[0], ab[1]) : out;
    }

    /** x·y elementwise, broadcasting. */
    public Tensor mul(Tensor other) {
        Tensor[] ab = broadcastWith("mul", other);
        Tensor a = ab[0];
        Tensor b = ab[1];
        Tensor out = zip(Elementwise.MUL, a, b);
        return tracks(a, b)
                ? record(out, "mul", g -> new Tensor[] {a.requiresGrad ? g.mul(b) : null, b.requiresGrad ? g.mul(a) : null}, a, b)
                : out;
    }

    /** x / y elementwise, broadcasting. */
    public Tensor div(Tensor other) {
        Tensor[] ab = broadcastWith("div", other);
        Tensor a = ab[0];
        Tensor b = ab[1];
        Tensor out = zip(Elementwise.DIV, a, b);
        return tracks(a, b)
                ? record(out, "div", g -> new Tensor[] {
                        a.requiresGrad ? g.div(b) : null,
                        b.requiresGrad ? g.mul(out).div(b).neg() : null}, a, b)
                : out;
    }

    /**
     * xʸ elementwise. Gradients as PyTorch defines them: y·xʸ⁻¹ for x (0 where y = 0), and
     * xʸ·ln x for y (0 where x = 0 and y ≥ 0).
     */
    public Tensor pow(Tensor exponent) {
        Tensor[] ab = broadcastWith("pow", exponent);
        Tensor a = ab[0];
        Tensor b = ab[1];
        Tensor out = zip(Elementwise.POW2, a, b);
        return tracks(a, b)
                ? record(out, "pow", g -> new Tensor[] {
                        a.requiresGrad ? g.mul(where(b.eq(0f), zeros(b.shape), b.mul(a.pow(b.sub(1f))))) : null,
                        b.requiresGrad ? g.mul(where(a.eq(0f).mul(b.ge(0f)), zeros(a.shape), out.mul(a.log()))) : null}, a, b)
                : out;
    }

    /** Elementwise maximum; where x = y the gradient is split in half between them, as in PyTorch. */
    public Tensor maximum(Tensor other) {
        return extremum("maximum", Elementwise.MAX, other);
    }

    /** Elementwise minimum; ties split the gradient as {@link #maximum} does. */
    public Tensor minimum(Tensor other) {
        return extremum("minimum", Elementwise.MIN, other);
    }

    private Tensor extremum(String name, int op, Tensor other) {
        Tensor[] ab = broadcastWith(name, other);
        Tensor a = ab[0];
        Tensor b = ab[1];
        Tensor out = zip(op, a, b);
        if (!tracks(a, b)) {
            return out;
        }
        return record(out, name, g -> {
            Tensor aWins = op == Elementwise.MAX ? a.gt(b) : a.lt(b);
            Tensor share = aWins.add(a.eq(b).mul(0.5f)); // 1 where a wins, ½ on ties
            return new Tensor[] {a.requiresGrad ? g.mul(share) : null, b.requiresGrad ? g.mul(share.neg().add(1f)) : null};
        }, a, b);
    }

    /** Elements of {@code a} where {@code condition} is non-zero, else of {@code b}; all three broadcast. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Indexing.where(condition, a, b);
    }

    // ------------------------------------------------------------------ comparisons (no gradient)

    private Tensor compare(String name, int op, Tensor other) {
        Tensor[] ab = broadcastWith(name, other);
        return zip(op, ab[0], ab[1]);
    }

    /** 1 where x &gt; y, else 0. */
    public Tensor gt(Tensor other) {
        return compare("gt", Elementwise.GT, other);
    }

    public Tensor ge(Tensor other) {
        return compare("ge", Elementwise.GE, other);
    }

    public Tensor lt(Tensor other) {
        return compare("lt", Elementwise.LT, other);
    }

    public Tensor le(Tensor other) {
        return compare("le", Elementwise.LE, other);
    }

    public Tensor eq(Tensor other) {
        return compare("eq", Elementwise.EQ, other);
    }

    public Tensor ne(Tensor other) {
        return compare("ne", Elementwise.NE, other);
    }

    public Tensor gt(float c) {
        return map(Elementwise.GT_S, c, 0);
    }

    public Tensor ge(float c) {
        return map(Elementwise.GE_S, c, 0);
    }

    public Tensor lt(float c) {
        return map(Elementwise.LT_S, c, 0);
    }

    public Tensor le(float c) {
        return map(Elementwise.LE_S, c, 0);
    }

    public Tensor eq(float c) {
        return map(Elementwise.EQ_S, c, 0);
    }

    public Tensor ne(float c) {
        return map(Elementwise.NE_S, c, 0);
    }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, as a scalar. */
    public Tensor sum() {
        return sum(new int[0], false);
    }

    /** Sum over one axis. */
    public Tensor sum(int axis, boolean keepDims) {
        return sum(new int[] {axis}, keepDims);
    }

    /** Sum over the given axes (all of them when empty). */
    public Tensor sum(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("sum", axes, shape.length);
        Tensor out = Reduce.reduce(this, Reduce.SUM, ax, keepDims);
        if (!tracks(this)) {
            return out;
        }
        int[] kept = Shapes.reduced(shape, ax, true);
        return record(out, "sum", g -> new Tensor[] {g.reshape(kept).expand(shape)}, this);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int axis, boolean keepDims) {
        return mean(new int[] {axis}, keepDims);
    }

    /** Mean over the given axes (all of them when empty): sum / count. */
    public Tensor mean(int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, shape.length);
        return sum(ax, keepDims).div(count(ax));
    }

    float count(int[] axes) {
        long n = 1;
        for (int a : axes) {
            n *= shape[a];
        }
        return n;
    }

    /** The largest element, as a scalar. */
    public Tensor max() {
        return max(new int[0], false);
    }

    public Tensor max(int axis, boolean keepDims) {
        return max(new int[] {axis}, keepDims);
    }

    /**
     * Maximum over the given axes. The gradient is shared evenly among the elements that attain
     * the maximum, as PyTorch's {@code amax} does.
     */
    public Tensor max(int[] axes, boolean keepDims) {
        return extremeOver("max", Reduce.MAX, axes, keepDims);
    }

    /** The smallest element, as a scalar. */
    public Tensor min() {
        return min(new int[0], false);
    }

    public Tensor min(int axis, boolean keepDims) {
        return min(new int[] {axis}, keepDims);
    }

    /** Minimum over the given axes; gradient shared among ties as in {@link #max(int[], boolean)}. */
    public Tensor min(int[] axes, boolean keepDims) {
        return extremeOver("min", Reduce.MIN, axes, keepDims);
    }

    private Tensor extremeOver(String name, int op, int[] axes, boolean keepDims) {
        if (numel == 0) {
            throw new IllegalArgumentException(name + ": the tensor is empty");
        }
        int[] ax = Shapes.axes(name, axes, shape.length);
        Tensor out = Reduce.reduce(this, op, ax, keepDims);
        if (!tracks(this)) {
            return out;
        }
        int[] kept = Shapes.reduced(shape, ax, true);
        return record(out, name, g -> {
            Tensor hits = this.eq(out.reshape(kept));
            Tensor share = hits.div(hits.sum(ax, true));
            return new Tensor[] {share.mul(g.reshape(kept))};
        }, this);
    }

    /** Index of the largest element of the flattened tensor, as a scalar. */
    public Tensor argmax() {
        return reshape(numel).argmax(0, false);
    }

    /**
     * Index of the largest element along an axis (the first on ties; NaN counts as largest, as in
     * PyTorch). Indices are returned as floats, exact up to 2²⁴.
     */
    public Tensor argmax(int axis, boolean keepDims) {
        return Reduce.argmax(this, axis, keepDims);
    }

    /**
     * Variance over the given axes: Σ(x − mean)² / (N − correction). correction = 1 is the
     * unbiased estimate ({@code torch.var}'s default), 0 the biased one BatchNorm normalizes with.
     */
    public Tensor var(int[] axes, int correction, boolean keepDims) {
        int[] ax = Shapes.axes("var", axes, shape.length);
        Tensor d = sub(mean(ax, true));
        return d.mul(d).sum(ax, keepDims).div(Math.max(0f, count(ax) - correction));
    }

    /** Standard deviation: √var. */
    public Tensor std(int[] axes, int correction, boolean keepDims) {
        return var(axes, correction, keepDims).sqrt();
    }

    /** log Σ exp(x) over an axis, computed stably by factoring out the maximum. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        int a = Shapes.axis("logSumExp", axis, shape.length);
        Tensor m = detach().max(a, true);
        // An all −∞ slice has max −∞; shifting by it would give NaN.
        m = where(m.isFinite(), m, zeros(m.shape));
        Tensor out = sub(m).exp().sum(a, true).log().add(m);
        return keepDims ? out : out.squeeze(a);
    }

    /** Softmax along an axis: exp(x − max) / Σ exp(x − max). */
    public Tensor softmax(int axis) {
        int a = Shapes.axis("softmax", axis, shape.length);
        Tensor e = sub(detach().max(a, true)).exp();
        return e.div(e.sum(a, true));
    }

    /** log softmax along an axis: x − logSumExp(x). */
    public Tensor logSoftmax(int axis) {
        int a = Shapes.axis("logSoftmax", axis, shape.length);
        return sub(logSumExp(a, true));
    }

    // ------------------------------------------------------------------ views and movement

    /** The same elements in a new shape (one dimension may be −1). A view when possible. */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** Flattens everything into one dimension. */
    public Tensor flatten() {
        return reshape(numel);
    }

    /** Flattens dimensions from {@code startAxis} on: [N, C, H, W].flatten(1) is [N, C·H·W]. */
    public Tensor flatten(int startAxis) {
        int s = Shapes.axis("flatten", startAxis, shape.length);
        int[] target = Arrays.copyOf(shape, s + 1);
        int n = 1;
        for (int d = s; d < shape.length; d++) {
            n *= shape[d];
        }
        target[s] = n;
        return reshape(target);
    }

    /** Inserts a dimension of size 1. */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis("unsqueeze", axis, shape.length + 1);
        int[] target = new int[shape.length + 1];
        for (int d = 0, j = 0; d < target.length; d++) {
            target[d] = d == a ? 1 : shape[j++];
        }
        return reshape(target);
    }

    /** Removes a dimension of size 1. */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis("squeeze", axis, shape.length);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("squeeze: dimension " + axis + " of " + Shapes.str(shape) + " has size " + shape[a] + ", not 1");
        }
        int[] target = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != a) {
                target[j++] = shape[d];
            }
        }
        return reshape(target);
    }

    /** Reorders the dimensions: the result's dimension i is this tensor's dimension dims[i]. A view. */
    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** The view with dimensions reordered by a normalized permutation; nothing recorded. */
    Tensor permuteView(int[] perm) {
        int[] s = new int[perm.length];
        int[] st = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            s[i] = shape[perm[i]];
            st[i] = strides[perm[i]];
        }
        return new Tensor(data, offset, s, st);
    }

    /** Swaps two dimensions. A view. */
    public Tensor transpose(int axis0, int axis1) {
        int a = Shapes.axis("transpose", axis0, shape.length);
        int b = Shapes.axis("transpose", axis1, shape.length);
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** The transpose of a matrix. A view. */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t: expected a matrix, got shape " + Shapes.str(shape));
        }
        return transpose(0, 1);
    }

    /**
     * Broadcasts to a larger shape without copying: dimensions of size 1 repeat, new dimensions
     * are added in front; −1 keeps a size. The backward sums the gradient back to this shape.
     */
    public Tensor expand(int... target) {
        return expandTo("expand", target);
    }

    /** {@link #expand}, naming {@code op} in its errors: how binary operations broadcast. */
    Tensor expandTo(String op, int[] target) {
        return Views.expand(this, op, target);
    }

    /** Elements start, start+1, …, end−1 of an axis (negative bounds count from the end). A view. */
    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Every step-th element from start up to end of an axis. A view. */
    public Tensor slice(int axis, int start, int end, int step) {
        return Views.slice(this, axis, start, end, step);
    }

    /** One index of an axis, with that axis removed. A view. */
    public Tensor select(int axis, int index) {
        int a = Shapes.axis("select", axis, shape.length);
        if (index < -shape[a] || index >= shape[a]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + axis + " of size " + shape[a]);
        }
        int i = index < 0 ? index + shape[a] : index;
        return slice(a, i, i + 1).squeeze(a);
    }

    /** This tensor laid out densely: itself when it already is, else a copy. */
    public Tensor contiguous() {
        if (isContiguous()) {
            return this;
        }
        Tensor out = new Tensor(toArray(), shape.clone());
        return tracks(this) ? record(out, "contiguous", g -> new Tensor[] {g}, this) : out;
    }

    // ------------------------------------------------------------------ indexing and joining (copies)

    /**
     * Pads each dimension with {@code before[d]} and {@code after[d]} elements of {@code value}.
     */
    public Tensor pad(int[] before, int[] after, float value) {
        return Indexing.pad(this, before, after, value);
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. */
    public static Tensor cat(int axis, Tensor... tensors) {
        return Indexing.cat(axis, tensors);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return Indexing.stack(axis, tensors);
    }

    /**
     * Rows of a lookup table by id, as {@code torch.nn.functional.embedding}: {@code weight}
     * [rows, dim] and {@code ids} of any shape [...] give [..., dim]. Ids must lie in [0, rows).
     * The backward adds each output row's gradient to its table row. With {@code sparse}, that
     * gradient reaches {@code weight} as a {@link RowSparseGrad} of the rows touched
     * ({@link #sparseGrad()}) instead of a dense table-sized {@link #grad()}, as PyTorch's
     * {@code sparse=True}: the cost of a step then grows with the batch, not with the table.
     */
    public static Tensor embedding(IntTensor ids, Tensor weight, boolean sparse) {
        return EmbeddingLookup.forward(ids, weight, sparse);
    }

    /**
     * Picks entries along an axis by index, in the order given (repeats allowed): the lookup behind
     * embeddings. The backward adds each gradient slice back at its index.
     */
    public Tensor indexSelect(int axis, int[] indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /**
     * {@code torch.gather}: out[i][j][k] = x[i][index[i][j][k]][k] for axis 1, and likewise for
     * other axes. {@code index} has this tensor's rank, holds whole numbers, and is no larger than
     * this tensor outside {@code axis}. The backward scatters gradients back, adding on repeats.
     */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    // ------------------------------------------------------------------ matrix multiplication

    /**
     * Matrix product with NumPy/PyTorch semantics: 1-D operands are treated as a row (left) or
     * column (right) vector, and leading batch dimensions broadcast. Transposed views are passed
     * to GEMM as transposes, never copied.
     */
    public Tensor matmul(Tensor other) {
        return MatrixProduct.matmul(this, other);
    }

    /**
     * A dense layer's product, x·Wᵀ + b, for x [..., in], W [out, in] and b [out] (or null), as
     * {@code torch.nn.functional.linear}. One primitive rather than matmul, transpose and add:
     * the bias enters through GEMM's β instead of a second pass, and the backward writes the
     * weight's gradient gᵀ·x directly in W's layout instead of transposing the gradient of a
     * transposed view.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        return MatrixProduct.linear(this, weight, bias);
    }

    // ------------------------------------------------------------------ normalization

    /**
     * Batch normalization over every dimension but 1 (the channel), as
     * {@code torch.nn.functional.batch_norm}: y = (x − μ)·γ/√(σ² + ε) + β. In training μ and σ²
     * are the batch's mean and biased variance per channel, and the running estimates are
     * updated in place (momentum m; the variance's estimate unbiased), as PyTorch does; otherwise
     * the running estimates are used. One fused operation with a closed-form backward,
     * dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂·mean(dy·x̂)), so only the per-channel statistics are
     * kept for the backward pass, not five intermediate tensors.
     */
    public Tensor batchNorm(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                            boolean training, float momentum, float eps) {
        return Normalization.batchNorm(this, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** 2-D convolution with square stride and padding, no dilation, one group. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1);
    }

    /**
     * 2-D convolution, as {@code torch.nn.functional.conv2d}: input [N, C, H, W], weight
     * [O, C/groups, kh, kw], bias [O] or null; output [N, O, Ho, Wo] with
     * Ho = ⌊(H + 2·pad − dil·(kh − 1) − 1) / stride⌋ + 1 (likewise Wo). Computed as im2col + GEMM.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code conv2d(...).relu().maxPool2d(2, 2, 0)} as one operation: the same values and the same
     * gradients, bit for bit, computed without the convolution's output and the ReLU's as tensors.
     * The pooling reads the GEMM's result in place and keeps one byte per window (which of its four
     * inputs won); the backward rebuilds the convolution's output gradient from the pooled values.
     * For a small CNN's first layers this removes four of every five bytes a training step allocated.
     */
    public Tensor conv2dReluMaxPool2(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2dReluMaxPool2(this, weight, bias, stride, padding, dilation, groups);
    }

    /** Max pooling over kernel×kernel windows, as {@code max_pool2d(kernel, stride, padding)}; the gradient goes to the first maximum of each window. */
    public Tensor maxPool2d(int kernel, int stride, int padding) {
        return Pooling.maxPool2d(this, kernel, stride, padding);
    }

    /** Average pooling, as {@code avg_pool2d(kernel, stride, padding, count_include_pad)}. */
    public Tensor avgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        return Pooling.avgPool2d(this, kernel, stride, padding, countIncludePad);
    }

    /**
     * Adaptive average pooling to outH×outW, as {@code adaptive_avg_pool2d}: output cell (i, j)
     * averages rows ⌊i·H/outH⌋ to ⌈(i+1)·H/outH⌉ and likewise columns. (1, 1) is global average pooling.
     */
    public Tensor adaptiveAvgPool2d(int outH, int outW) {
        return Pooling.adaptiveAvgPool2d(this, outH, outW);
    }

    // ------------------------------------------------------------------ printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        if (gradFn != null) {
            sb.append(" grad_fn=").append(gradFn.op);
        } else if (requiresGrad) {
            sb.append(" requires_grad");
        }
        if (numel <= 64) {
            sb.append(' ');
            float[] v = toArray();
            appendNested(sb, v, 0, 0);
        }
        return sb.toString();
    }

    private int appendNested(StringBuilder sb, float[] v, int dim, int pos) {
        if (dim == shape.length) {
            sb.append(v[pos]);
            return pos + 1;
        }
        sb.append('[');
        for (int i = 0; i < shape[dim]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            pos = appendNested(sb, v, dim + 1, pos);
        }
        sb.append(']');
        return pos;
    }
}
