package org.omomi.tensor;

import java.util.Arrays;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;

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
 * operation's backward sits directly under its forward in this class.
 *
 * <p>Shape errors name the operation and the shapes involved, for example
 * {@code matmul: shapes [2, 3] and [4, 5] do not match (3 ≠ 4)}.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    private final int[] shape;
    private final int[] strides;
    private final int numel;

    private boolean requiresGrad;
    private Node gradFn;
    private Tensor grad;
    private RowSparseGrad sparseGrad;
    private boolean retainsGrad;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.numel = Shapes.numel(shape);
    }

    /** A dense tensor over {@code data} (not copied). */
    private Tensor(float[] data, int[] shape) {
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
            grad = new Tensor(g.toArray(), shape.clone()); // owned: g may be a view of another tensor
        } else {
            float[] add = g.denseData();
            if (!grad.isDense()) {
                grad = new Tensor(grad.toArray(), shape.clone());
            }
            Elementwise.binary(Elementwise.ADD, grad.data, add, grad.data, numel);
        }
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

    private static boolean tracks(Tensor a, Tensor b) {
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
        if (!Arrays.equals(shape, target.shape)) {
            throw new IllegalArgumentException("binaryCrossEntropy: shapes " + Shapes.str(shape) + " and " + Shapes.str(target.shape) + " differ");
        }
        float[] x = denseData();
        float[] t = target.denseData();
        float[] out = new float[numel];
        for (int i = 0; i < numel; i++) {
            if (!(x[i] >= 0f && x[i] <= 1f)) {
                throw new IllegalArgumentException("binaryCrossEntropy: input " + x[i] + " at position " + i + " is not a probability in [0, 1]");
            }
            double logX = Math.max(Math.log(x[i]), -100.0);
            double log1mX = Math.max(Math.log1p(-x[i]), -100.0);
            out[i] = (float) -(t[i] * logX + (1.0 - t[i]) * log1mX);
        }
        Tensor result = new Tensor(out, shape.clone());
        if (!tracks(this, target)) {
            return result;
        }
        return record(result, "binaryCrossEntropy", g -> {
            float[] gv = g.toArray();
            float[] dx = new float[numel];
            float[] dt = new float[numel];
            for (int i = 0; i < numel; i++) {
                double denom = Math.max((1.0 - x[i]) * x[i], 1e-12);
                dx[i] = (float) (gv[i] * (x[i] - t[i]) / denom);
                // d/dt = ln(1 − x) − ln x, with the same clamping as the forward.
                dt[i] = (float) (gv[i] * (Math.max(Math.log1p(-x[i]), -100.0) - Math.max(Math.log(x[i]), -100.0)));
            }
            return new Tensor[] {new Tensor(dx, shape.clone()), new Tensor(dt, shape.clone())};
        }, this, target);
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
        int[] target = Shapes.broadcast("where", Shapes.broadcast("where", condition.shape, a.shape), b.shape);
        Tensor c = condition.expandTo("where", target);
        Tensor x = a.expandTo("where", target);
        Tensor y = b.expandTo("where", target);
        float[] cv = c.toArray();
        float[] xv = x.toArray();
        float[] yv = y.toArray();
        float[] out = new float[cv.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = cv[i] != 0f ? xv[i] : yv[i];
        }
        Tensor result = new Tensor(out, target.clone());
        if (!tracks(x, y)) {
            return result;
        }
        return record(result, "where", g -> {
            Tensor gx = null;
            Tensor gy = null;
            float[] gv = g.toArray();
            if (x.requiresGrad) {
                float[] v = new float[gv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = cv[i] != 0f ? gv[i] : 0f;
                }
                gx = new Tensor(v, target.clone());
            }
            if (y.requiresGrad) {
                float[] v = new float[gv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = cv[i] != 0f ? 0f : gv[i];
                }
                gy = new Tensor(v, target.clone());
            }
            return new Tensor[] {gx, gy};
        }, x, y);
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
        Tensor out = reduce(Reduce.SUM, ax, keepDims);
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

    private float count(int[] axes) {
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
        Tensor out = reduce(op, ax, keepDims);
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

    /** Reduces the given normalized axes without recording anything. */
    private Tensor reduce(int op, int[] axes, boolean keepDims) {
        int[] outShape = Shapes.reduced(shape, axes, keepDims);
        float[] out = new float[Shapes.numel(outShape)];
        int reduceCount = (int) count(axes);
        int keepCount = out.length;
        if (reduceCount == 0) {
            if (op != Reduce.SUM) {
                throw new IllegalArgumentException("cannot take the " + (op == Reduce.MAX ? "max" : "min") + " over an empty axis of " + Shapes.str(shape));
            }
            return new Tensor(out, outShape);
        }
        boolean leading = true;
        boolean trailing = true;
        for (int i = 0; i < axes.length; i++) {
            leading &= axes[i] == i;
            trailing &= axes[i] == shape.length - axes.length + i;
        }
        if (trailing) {
            Reduce.rows(op, denseData(), keepCount, reduceCount, out);
        } else if (leading) {
            Reduce.columns(op, denseData(), reduceCount, keepCount, out);
        } else {
            // Move the reduced axes to the end, make that dense, reduce rows.
            int[] perm = new int[shape.length];
            int j = 0;
            boolean[] reduced = new boolean[shape.length];
            for (int a : axes) {
                reduced[a] = true;
            }
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    perm[j++] = d;
                }
            }
            for (int a : axes) {
                perm[j++] = a;
            }
            Tensor moved = permuteView(perm);
            Reduce.rows(op, moved.toArray(), keepCount, reduceCount, out);
        }
        return new Tensor(out, outShape);
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
        int a = Shapes.axis("argmax", axis, shape.length);
        if (shape[a] == 0) {
            throw new IllegalArgumentException("argmax: axis " + axis + " of " + Shapes.str(shape) + " is empty");
        }
        if (shape[a] > (1 << 24)) {
            throw new IllegalArgumentException("argmax: axis " + axis + " has " + shape[a] + " elements; float indices are exact only up to 2^24");
        }
        int[] perm = new int[shape.length];
        int j = 0;
        for (int d = 0; d < shape.length; d++) {
            if (d != a) {
                perm[j++] = d;
            }
        }
        perm[j] = a;
        float[] x = permuteView(perm).toArray();
        int[] outShape = Shapes.reduced(shape, new int[] {a}, keepDims);
        float[] out = new float[Shapes.numel(outShape)];
        Reduce.argmaxRows(x, out.length, shape[a], out);
        return new Tensor(out, outShape);
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
        int[] target = Shapes.inferReshape(shape, newShape);
        if (Arrays.equals(target, shape)) {
            return this;
        }
        Tensor out = isContiguous()
                ? new Tensor(data, offset, target, Shapes.contiguousStrides(target))
                : new Tensor(toArray(), target);
        return tracks(this) ? record(out, "reshape", g -> new Tensor[] {g.reshape(shape)}, this) : out;
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
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: " + dims.length + " dimensions given for a tensor of shape " + Shapes.str(shape));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        boolean identity = true;
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Shapes.axis("permute", dims[i], shape.length);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: dimension " + perm[i] + " appears twice in " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
            identity &= perm[i] == i;
        }
        if (identity) {
            return this;
        }
        Tensor out = permuteView(perm);
        if (!tracks(this)) {
            return out;
        }
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return record(out, "permute", g -> new Tensor[] {g.permute(inverse)}, this);
    }

    private Tensor permuteView(int[] perm) {
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

    private Tensor expandTo(String op, int[] target) {
        if (Arrays.equals(target, shape)) {
            return this;
        }
        if (target.length < shape.length) {
            throw new IllegalArgumentException(op + ": cannot expand " + Shapes.str(shape) + " to fewer dimensions " + Shapes.str(target));
        }
        int lead = target.length - shape.length;
        int[] s = new int[target.length];
        int[] st = new int[target.length];
        for (int d = 0; d < target.length; d++) {
            int want = target[d];
            if (d < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException(op + ": cannot use -1 for a new dimension when expanding " + Shapes.str(shape) + " to " + Shapes.str(target));
                }
                s[d] = want;
                st[d] = 0;
                continue;
            }
            int have = shape[d - lead];
            if (want == -1 || want == have) {
                s[d] = have;
                st[d] = strides[d - lead];
            } else if (have == 1) {
                s[d] = want;
                st[d] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot expand " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        Tensor out = new Tensor(data, offset, s, st);
        return tracks(this) ? record(out, "expand", g -> new Tensor[] {g.sumTo(shape)}, this) : out;
    }

    /** Sums a broadcast result back down to {@code target}, the inverse of expanding to this shape. */
    Tensor sumTo(int[] target) {
        if (Arrays.equals(target, shape)) {
            return this;
        }
        int lead = shape.length - target.length;
        int[] axes = new int[shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) {
                axes[n++] = d;
            }
        }
        Tensor s = n == 0 ? this : sum(Arrays.copyOf(axes, n), true);
        return s.reshape(target);
    }

    /** Elements start, start+1, …, end−1 of an axis (negative bounds count from the end). A view. */
    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Every step-th element from start up to end of an axis. A view. */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shapes.axis("slice", axis, shape.length);
        if (step < 1) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int size = shape[a];
        int s = clampIndex(start, size);
        int e = Math.max(s, clampIndex(end, size));
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[a] = (e - s + step - 1) / step;
        nst[a] = strides[a] * step;
        Tensor out = new Tensor(data, offset + s * strides[a], ns, nst);
        if (!tracks(this)) {
            return out;
        }
        return record(out, "slice", g -> {
            Tensor full = zeros(shape);
            Tensor window = new Tensor(full.data, s * full.strides[a], ns, stridesWithStep(full.strides, a, step));
            Strided.scatter(g.toArray(), full.data, window.offset, window.shape, window.strides);
            return new Tensor[] {full};
        }, this);
    }

    private static int[] stridesWithStep(int[] strides, int axis, int step) {
        int[] st = strides.clone();
        st[axis] *= step;
        return st;
    }

    private static int clampIndex(int i, int size) {
        int j = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, j));
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

    /**
     * Pads each dimension with {@code before[d]} and {@code after[d]} elements of {@code value}.
     */
    public Tensor pad(int[] before, int[] after, float value) {
        if (before.length != shape.length || after.length != shape.length) {
            throw new IllegalArgumentException("pad: padding for " + before.length + " and " + after.length + " dimensions given for shape " + Shapes.str(shape));
        }
        int[] outShape = shape.clone();
        int start = 0;
        int[] outStrides;
        for (int d = 0; d < shape.length; d++) {
            if (before[d] < 0 || after[d] < 0) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / " + Arrays.toString(after));
            }
            outShape[d] += before[d] + after[d];
        }
        Tensor out = full(value, outShape);
        outStrides = out.strides;
        for (int d = 0; d < shape.length; d++) {
            start += before[d] * outStrides[d];
        }
        Strided.scatter(toArray(), out.data, start, shape, outStrides);
        if (!tracks(this)) {
            return out;
        }
        int interior = start;
        return record(out, "pad", g -> {
            Tensor gd = g.isDense() ? g : new Tensor(g.toArray(), g.shape.clone());
            return new Tensor[] {new Tensor(gd.data, interior, shape.clone(), gd.strides).contiguous()};
        }, this);
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. */
    public static Tensor cat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("cat: no tensors given");
        }
        Tensor first = tensors[0];
        int a = Shapes.axis("cat", axis, first.shape.length);
        int[] outShape = first.shape.clone();
        outShape[a] = 0;
        for (Tensor t : tensors) {
            if (t.shape.length != first.shape.length) {
                throw new IllegalArgumentException("cat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(t.shape) + " differ in rank");
            }
            for (int d = 0; d < outShape.length; d++) {
                if (d != a && t.shape[d] != first.shape[d]) {
                    throw new IllegalArgumentException("cat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(t.shape) + " differ outside axis " + a);
                }
            }
            outShape[a] += t.shape[a];
        }
        Tensor out = zeros(outShape);
        int[] starts = new int[tensors.length];
        int at = 0;
        boolean anyGrad = false;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            starts[i] = at;
            Strided.scatter(t.toArray(), out.data, at * out.strides[a], t.shape, out.strides);
            at += t.shape[a];
            anyGrad |= t.requiresGrad;
        }
        if (!anyGrad || !Autograd.isEnabled()) {
            return out;
        }
        return record(out, "cat", g -> {
            Tensor[] grads = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                if (tensors[i].requiresGrad) {
                    grads[i] = g.slice(a, starts[i], starts[i] + tensors[i].shape[a]).contiguous();
                }
            }
            return grads;
        }, tensors.clone());
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        int a = Shapes.axis("stack", axis, tensors[0].shape.length + 1);
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(tensors[0].shape) + " and " + Shapes.str(tensors[i].shape) + " differ");
            }
            expanded[i] = tensors[i].unsqueeze(a);
        }
        return cat(a, expanded);
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
        int a = Shapes.axis("indexSelect", axis, shape.length);
        int size = shape[a];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size) {
                throw new IndexOutOfBoundsException("indexSelect: index " + indices[i] + " at position " + i + " is out of range for dimension " + a + " of size " + size);
            }
        }
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int[] outShape = shape.clone();
        outShape[a] = indices.length;
        float[] x = denseData();
        float[] out = new float[Shapes.numel(outShape)];
        int[] idx = indices.clone();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(x, (o * size + idx[j]) * inner, out, (o * idx.length + j) * inner, inner);
            }
        }
        Tensor result = new Tensor(out, outShape);
        if (!tracks(this)) {
            return result;
        }
        int in = inner;
        int out0 = outer;
        return record(result, "indexSelect", g -> {
            float[] gv = g.denseData();
            float[] back = new float[numel];
            for (int o = 0; o < out0; o++) {
                for (int j = 0; j < idx.length; j++) {
                    int dst = (o * size + idx[j]) * in;
                    int src = (o * idx.length + j) * in;
                    for (int k = 0; k < in; k++) {
                        back[dst + k] += gv[src + k];
                    }
                }
            }
            return new Tensor[] {new Tensor(back, shape.clone())};
        }, this);
    }

    /**
     * {@code torch.gather}: out[i][j][k] = x[i][index[i][j][k]][k] for axis 1, and likewise for
     * other axes. {@code index} has this tensor's rank, holds whole numbers, and is no larger than
     * this tensor outside {@code axis}. The backward scatters gradients back, adding on repeats.
     */
    public Tensor gather(int axis, Tensor index) {
        int a = Shapes.axis("gather", axis, shape.length);
        if (index.shape.length != shape.length) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape) + " and input of shape " + Shapes.str(shape) + " differ in rank");
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != a && index.shape[d] > shape[d]) {
                throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape) + " is larger than input of shape " + Shapes.str(shape) + " in dimension " + d);
            }
        }
        float[] iv = index.toArray();
        int n = iv.length;
        int[] dense = Shapes.contiguousStrides(shape);
        int[] src = new int[n]; // row-major position in this tensor of each output element
        int[] ishape = index.shape;
        int[] counter = new int[ishape.length];
        for (int e = 0; e < n; e++) {
            float f = iv[e];
            int k = (int) f;
            if (k != f || k < 0 || k >= shape[a]) {
                throw new IndexOutOfBoundsException("gather: index value " + f + " at flat position " + e + " is not a valid index into dimension " + a + " of size " + shape[a]);
            }
            int o = 0;
            for (int d = 0; d < ishape.length; d++) {
                o += (d == a ? k : counter[d]) * dense[d];
            }
            src[e] = o;
            for (int d = ishape.length - 1; d >= 0; d--) {
                if (++counter[d] < ishape[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
        float[] x = denseData();
        float[] out = new float[n];
        for (int e = 0; e < n; e++) {
            out[e] = x[src[e]];
        }
        Tensor result = new Tensor(out, ishape.clone());
        if (!tracks(this)) {
            return result;
        }
        return record(result, "gather", g -> {
            float[] gv = g.toArray();
            float[] back = new float[numel];
            for (int e = 0; e < n; e++) {
                back[src[e]] += gv[e];
            }
            return new Tensor[] {new Tensor(back, shape.clone())};
        }, this);
    }

    // ------------------------------------------------------------------ matrix multiplication

    /**
     * Matrix product with NumPy/PyTorch semantics: 1-D operands are treated as a row (left) or
     * column (right) vector, and leading batch dimensions broadcast. Transposed views are passed
     * to GEMM as transposes, never copied.
     */
    public Tensor matmul(Tensor other) {
        if (shape.length == 0 || other.shape.length == 0) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(other.shape) + ": both operands need at least one dimension");
        }
        if (shape.length == 1 && other.shape.length == 1) {
            return unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
        }
        if (shape.length == 1) {
            return unsqueeze(0).matmul(other).squeeze(-2);
        }
        if (other.shape.length == 1) {
            return matmul(other.unsqueeze(1)).squeeze(-1);
        }
        int m = shape[shape.length - 2];
        int k = shape[shape.length - 1];
        int k2 = other.shape[other.shape.length - 2];
        int n = other.shape[other.shape.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(other.shape) + " do not match (" + k + " ≠ " + k2 + ")");
        }
        int[] batchA = Arrays.copyOf(shape, shape.length - 2);
        int[] batchB = Arrays.copyOf(other.shape, other.shape.length - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        Tensor a = expandTo("matmul", concat(batch, m, k));
        Tensor b = other.expandTo("matmul", concat(batch, k, n));
        Tensor out = mm(a, b);
        if (!tracks(a, b)) {
            return out;
        }
        return record(out, "matmul", g -> new Tensor[] {
                a.requiresGrad ? mm(g, b.transpose(-1, -2)) : null,
                b.requiresGrad ? mm(a.transpose(-1, -2), g) : null}, a, b);
    }

    /**
     * A dense layer's product, x·Wᵀ + b, for x [..., in], W [out, in] and b [out] (or null), as
     * {@code torch.nn.functional.linear}. One primitive rather than matmul, transpose and add:
     * the bias enters through GEMM's β instead of a second pass, and the backward writes the
     * weight's gradient gᵀ·x directly in W's layout instead of transposing the gradient of a
     * transposed view.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        if (weight.shape.length != 2 || shape.length == 0 || shape[shape.length - 1] != weight.shape[1]) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(shape) + " and weight " + Shapes.str(weight.shape)
                    + " do not match (input's last dimension must be the weight's second)");
        }
        int in = weight.shape[1];
        int outFeatures = weight.shape[0];
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != outFeatures)) {
            throw new IllegalArgumentException("linear: bias " + Shapes.str(bias.shape) + " for a weight " + Shapes.str(weight.shape));
        }
        int n = numel / Math.max(1, in);
        float[] x = denseData();
        float[] w = weight.denseData();
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = outFeatures;
        float[] out = new float[n * outFeatures];
        if (bias != null) {
            float[] b = bias.denseData();
            for (int r = 0; r < n; r++) {
                System.arraycopy(b, 0, out, r * outFeatures, outFeatures);
            }
        }
        Gemm.sgemm(false, true, n, outFeatures, in, 1f, x, 0, in, w, 0, in, bias != null ? 1f : 0f, out, 0, outFeatures);
        Tensor result = new Tensor(out, outShape);
        boolean needs = Autograd.isEnabled() && (requiresGrad || weight.requiresGrad || (bias != null && bias.requiresGrad));
        if (!needs) {
            return result;
        }
        Tensor[] inputs = bias == null ? new Tensor[] {this, weight} : new Tensor[] {this, weight, bias};
        return record(result, "linear", g -> {
            float[] gv = g.denseData();
            Tensor dx = null;
            Tensor dw = null;
            Tensor db = null;
            if (requiresGrad) {
                float[] d = new float[n * in];
                Gemm.sgemm(false, false, n, in, outFeatures, 1f, gv, 0, outFeatures, w, 0, in, 0f, d, 0, in);
                dx = new Tensor(d, shape.clone());
            }
            if (weight.requiresGrad) {
                float[] d = new float[outFeatures * in];
                Gemm.sgemm(true, false, outFeatures, in, n, 1f, gv, 0, outFeatures, x, 0, in, 0f, d, 0, in);
                dw = new Tensor(d, weight.shape.clone());
            }
            if (bias != null && bias.requiresGrad) {
                float[] d = new float[outFeatures];
                Reduce.columns(Reduce.SUM, gv, n, outFeatures, d);
                db = new Tensor(d, bias.shape.clone());
            }
            return bias == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
        }, inputs);
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
        if (shape.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, …], got " + Shapes.str(shape));
        }
        int n = shape[0];
        int c = shape[1];
        int spatial = numel / Math.max(1, n * c);
        for (Tensor t : new Tensor[] {weight, bias, runningMean, runningVar}) {
            if (t != null && (t.shape.length != 1 || t.shape[0] != c)) {
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + Shapes.str(t.shape) + " for " + c + " channels");
            }
        }
        int count = n * spatial;
        float[] x = denseData();
        float[] mean = new float[c];
        float[] invStd = new float[c];
        if (training) {
            if (count < 2) {
                throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, got input " + Shapes.str(shape));
            }
            float[] var = new float[c];
            Parallel.forRange(c, 1, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += ChannelSums.sum(x, (i * c + ch) * spatial, spatial);
                    }
                    double mu = sum / count;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        ss += ChannelSums.squaredDeviations(x, (i * c + ch) * spatial, spatial, mu);
                    }
                    mean[ch] = (float) mu;
                    var[ch] = (float) (ss / count);
                    invStd[ch] = (float) (1.0 / Math.sqrt(ss / count + eps));
                }
            });
            if (runningMean != null && runningVar != null) {
                float[] rm = runningMean.array();
                float[] rv = runningVar.array();
                float unbias = (float) count / (count - 1);
                for (int ch = 0; ch < c; ch++) {
                    rm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
                    rv[ch] = (1 - momentum) * rv[ch] + momentum * var[ch] * unbias;
                }
            }
        } else {
            float[] rm = runningMean.denseData();
            float[] rv = runningVar.denseData();
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = rm[ch];
                invStd[ch] = (float) (1.0 / Math.sqrt(rv[ch] + (double) eps));
            }
        }
        float[] w = weight == null ? null : weight.denseData();
        float[] b = bias == null ? null : bias.denseData();
        float[] y = new float[numel];
        Parallel.forRange(n * c, Math.max(1, (1 << 14) / Math.max(1, spatial)), (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int ch = plane % c;
                float scale = invStd[ch] * (w == null ? 1f : w[ch]);
                float shift = (b == null ? 0f : b[ch]) - mean[ch] * scale;
                int base = plane * spatial;
                for (int s = 0; s < spatial; s++) {
                    y[base + s] = x[base + s] * scale + shift;
                }
            }
        });
        Tensor result = new Tensor(y, shape.clone());
        boolean needs = Autograd.isEnabled() && (requiresGrad || (weight != null && weight.requiresGrad) || (bias != null && bias.requiresGrad));
        if (!needs) {
            return result;
        }
        Tensor[] inputs = weight == null ? new Tensor[] {this} : new Tensor[] {this, weight, bias};
        return record(result, "batchNorm", grad -> {
            float[] dy = grad.denseData();
            double[] sumDy = new double[c];
            double[] sumDyXhat = new double[c];
            Parallel.forRange(c, 1, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double a = 0;
                    double bsum = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * spatial;
                        a += ChannelSums.sum(dy, base, spatial);
                        bsum += ChannelSums.dotCentred(dy, x, base, spatial, mean[ch]);
                    }
                    sumDy[ch] = a;
                    sumDyXhat[ch] = bsum * invStd[ch]; // Σ dy·(x − μ)/σ, with 1/σ taken out of the sum
                }
            });
            Tensor dx = null;
            if (requiresGrad) {
                float[] d = new float[numel];
                Parallel.forRange(n * c, Math.max(1, (1 << 14) / Math.max(1, spatial)), (p0, p1) -> {
                    for (int plane = p0; plane < p1; plane++) {
                        int ch = plane % c;
                        float k = invStd[ch] * (w == null ? 1f : w[ch]);
                        int base = plane * spatial;
                        if (training) {
                            float meanDy = (float) (sumDy[ch] / count);
                            float meanDyXhat = (float) (sumDyXhat[ch] / count);
                            for (int s = 0; s < spatial; s++) {
                                float xhat = (x[base + s] - mean[ch]) * invStd[ch];
                                d[base + s] = k * (dy[base + s] - meanDy - xhat * meanDyXhat);
                            }
                        } else {
                            for (int s = 0; s < spatial; s++) {
                                d[base + s] = k * dy[base + s];
                            }
                        }
                    }
                });
                dx = new Tensor(d, shape.clone());
            }
            if (weight == null) {
                return new Tensor[] {dx};
            }
            float[] dw = new float[c];
            float[] db = new float[c];
            for (int ch = 0; ch < c; ch++) {
                dw[ch] = (float) sumDyXhat[ch];
                db[ch] = (float) sumDy[ch];
            }
            return new Tensor[] {dx, weight.requiresGrad ? new Tensor(dw, new int[] {c}) : null,
                bias.requiresGrad ? new Tensor(db, new int[] {c}) : null};
        }, inputs);
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
        if (weight.shape.length != 4) {
            throw new IllegalArgumentException("conv2d: weight must be [O, C/groups, kh, kw], got " + Shapes.str(weight.shape));
        }
        int o = weight.shape[0];
        if (groups < 1 || shape.length != 4 || shape[1] % groups != 0 || o % groups != 0 || weight.shape[1] != shape[1] / groups) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(shape) + " and weight " + Shapes.str(weight.shape)
                    + " do not match with " + groups + " group(s) (input channels / groups must equal the weight's second dimension)");
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != o)) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape) + " for " + o + " output channels");
        }
        Convolution.Geometry g = Convolution.Geometry.of("conv2d", shape, weight.shape[2], weight.shape[3],
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        float[] x = denseData();
        float[] w = weight.denseData();
        float[][] cols = new float[groups][];
        float[] y = Convolution.forward(x, w, bias == null ? null : bias.denseData(), g, o, groups, cols);
        Tensor result = new Tensor(y, new int[] {g.n(), o, g.ho(), g.wo()});
        boolean needs = Autograd.isEnabled() && (requiresGrad || weight.requiresGrad || (bias != null && bias.requiresGrad));
        if (!needs) {
            for (float[] c : cols) {
                Scratch.give(c);
            }
            return result;
        }
        Tensor[] inputs = bias == null ? new Tensor[] {this, weight} : new Tensor[] {this, weight, bias};
        return record(result, "conv2d", grad -> {
            // The columns are borrowed scratch memory, returned after this backward pass: like
            // PyTorch without retain_graph, a second backward through the same graph is refused.
            if (cols[0] == null) {
                throw new IllegalStateException("conv2d: backward through this part of the graph a second time; "
                        + "its saved columns were freed after the first");
            }
            float[] dy = grad.denseData();
            int cg = g.c() / groups;
            int og = o / groups;
            int k = cg * g.kh() * g.kw();
            int ncols = g.n() * g.outPlane();
            float[] dx = requiresGrad ? new float[numel] : null;
            float[] dw = weight.requiresGrad ? new float[weight.numel] : null;
            for (int grp = 0; grp < groups; grp++) {
                float[] dyg = Convolution.groupGradient(dy, g, o, og, grp);
                if (dw != null) {
                    Gemm.sgemm(false, true, og, k, ncols, 1f, dyg, 0, ncols, cols[grp], 0, ncols, 0f, dw, grp * og * k, k);
                }
                Scratch.give(cols[grp]);
                cols[grp] = null;
                if (dx != null) {
                    float[] dcols = Scratch.take(k * ncols); // fully written by GEMM
                    Gemm.sgemm(true, false, k, ncols, og, 1f, w, grp * og * k, k, dyg, 0, ncols, 0f, dcols, 0, ncols);
                    Convolution.col2im(dcols, g, grp * cg, cg, dx);
                    Scratch.give(dcols);
                }
                Scratch.give(dyg);
            }
            Tensor db = null;
            if (bias != null && bias.requiresGrad) {
                float[] d = new float[o];
                int l = g.outPlane();
                for (int n = 0; n < g.n(); n++) {
                    for (int ch = 0; ch < o; ch++) {
                        double sum = 0;
                        int at = (n * o + ch) * l;
                        for (int p = 0; p < l; p++) {
                            sum += dy[at + p];
                        }
                        d[ch] += (float) sum;
                    }
                }
                db = new Tensor(d, bias.shape.clone());
            }
            Tensor tdx = dx == null ? null : new Tensor(dx, shape.clone());
            Tensor tdw = dw == null ? null : new Tensor(dw, weight.shape.clone());
            return bias == null ? new Tensor[] {tdx, tdw} : new Tensor[] {tdx, tdw, db};
        }, inputs);
    }

    /** Max pooling over kernel×kernel windows, as {@code max_pool2d(kernel, stride, padding)}; the gradient goes to the first maximum of each window. */
    public Tensor maxPool2d(int kernel, int stride, int padding) {
        Convolution.Geometry g = Convolution.Geometry.of("maxPool2d", shape, kernel, kernel, stride, stride, padding, padding, 1, 1);
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("maxPool2d: padding " + padding + " is more than half the kernel " + kernel);
        }
        int[] argmax = new int[g.n() * g.c() * g.outPlane()];
        float[] y = Convolution.maxPool(denseData(), g, argmax);
        Tensor result = new Tensor(y, new int[] {g.n(), g.c(), g.ho(), g.wo()});
        if (!tracks(this)) {
            return result;
        }
        return record(result, "maxPool2d", grad -> {
            float[] dy = grad.denseData();
            float[] dx = new float[numel];
            int l = g.outPlane();
            Parallel.forRange(g.n() * g.c(), 4, (p0, p1) -> { // windows stay inside their plane
                for (int i = p0 * l; i < p1 * l; i++) {
                    dx[argmax[i]] += dy[i];
                }
            });
            return new Tensor[] {new Tensor(dx, shape.clone())};
        }, this);
    }

    /** Average pooling, as {@code avg_pool2d(kernel, stride, padding, count_include_pad)}. */
    public Tensor avgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        Convolution.Geometry g = Convolution.Geometry.of("avgPool2d", shape, kernel, kernel, stride, stride, padding, padding, 1, 1);
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("avgPool2d: padding " + padding + " is more than half the kernel " + kernel);
        }
        float[] divisors = new float[g.outPlane()];
        float[] y = Convolution.avgPool(denseData(), g, countIncludePad, divisors);
        Tensor result = new Tensor(y, new int[] {g.n(), g.c(), g.ho(), g.wo()});
        if (!tracks(this)) {
            return result;
        }
        return record(result, "avgPool2d",
                grad -> new Tensor[] {new Tensor(Convolution.avgPoolBackward(grad.denseData(), g, divisors), shape.clone())}, this);
    }

    /**
     * Adaptive average pooling to outH×outW, as {@code adaptive_avg_pool2d}: output cell (i, j)
     * averages rows ⌊i·H/outH⌋ to ⌈(i+1)·H/outH⌉ and likewise columns. (1, 1) is global average pooling.
     */
    public Tensor adaptiveAvgPool2d(int outH, int outW) {
        if (shape.length != 4 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W] and a positive output size, got "
                    + Shapes.str(shape) + " → " + outH + "×" + outW);
        }
        int h = shape[2];
        int w = shape[3];
        int planes = shape[0] * shape[1];
        // Window bounds along each axis, shared by the forward and the backward pass.
        int[] h0 = new int[outH];
        int[] h1 = new int[outH];
        int[] w0 = new int[outW];
        int[] w1 = new int[outW];
        for (int i = 0; i < outH; i++) {
            h0[i] = Convolution.adaptiveStart(i, h, outH);
            h1[i] = Convolution.adaptiveEnd(i, h, outH);
        }
        for (int j = 0; j < outW; j++) {
            w0[j] = Convolution.adaptiveStart(j, w, outW);
            w1[j] = Convolution.adaptiveEnd(j, w, outW);
        }
        float[] x = denseData();
        float[] y = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    double sum = 0;
                    for (int a = h0[i]; a < h1[i]; a++) {
                        for (int b = w0[j]; b < w1[j]; b++) {
                            sum += x[p * h * w + a * w + b];
                        }
                    }
                    y[(p * outH + i) * outW + j] = (float) (sum / ((h1[i] - h0[i]) * (w1[j] - w0[j])));
                }
            }
        }
        Tensor result = new Tensor(y, new int[] {shape[0], shape[1], outH, outW});
        if (!tracks(this)) {
            return result;
        }
        return record(result, "adaptiveAvgPool2d", grad -> {
            float[] dy = grad.denseData();
            float[] dx = new float[numel];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        float share = dy[(p * outH + i) * outW + j] / ((h1[i] - h0[i]) * (w1[j] - w0[j]));
                        for (int a = h0[i]; a < h1[i]; a++) {
                            for (int b = w0[j]; b < w1[j]; b++) {
                                dx[p * h * w + a * w + b] += share;
                            }
                        }
                    }
                }
            }
            return new Tensor[] {new Tensor(dx, shape.clone())};
        }, this);
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /** Batched product of [..., m, k] and [..., k, n] with equal batch shapes; nothing recorded. */
    private static Tensor mm(Tensor a, Tensor b) {
        int r = a.shape.length;
        int m = a.shape[r - 2];
        int k = a.shape[r - 1];
        int n = b.shape[r - 1];
        int[] outShape = a.shape.clone();
        outShape[r - 1] = n;
        Tensor out = zeros(outShape);
        int batches = out.numel / Math.max(1, m * n);
        if (out.numel == 0) {
            return out;
        }
        Tensor ga = gemmReady(a);
        Tensor gb = gemmReady(b);
        // After gemmReady a matrix is row-major (unit column stride) or a transposed view.
        boolean ta = ga.strides[r - 1] != 1;
        boolean tb = gb.strides[r - 1] != 1;
        int lda = ta ? ga.strides[r - 1] : ga.strides[r - 2];
        int ldb = tb ? gb.strides[r - 1] : gb.strides[r - 2];
        int[] counter = new int[r - 2];
        int aOff = ga.offset;
        int bOff = gb.offset;
        for (int i = 0; i < batches; i++) {
            Gemm.sgemm(ta, tb, m, n, k, 1f, ga.data, aOff, lda, gb.data, bOff, ldb, 0f, out.data, i * m * n, n);
            for (int d = r - 3; d >= 0; d--) {
                aOff += ga.strides[d];
                bOff += gb.strides[d];
                if (++counter[d] < out.shape[d]) {
                    break;
                }
                aOff -= ga.strides[d] * out.shape[d];
                bOff -= gb.strides[d] * out.shape[d];
                counter[d] = 0;
            }
        }
        return out;
    }

    /**
     * The tensor itself when each of its matrices is row-major or column-major (a transposed
     * view) with a usable leading dimension; otherwise a dense copy. Batch strides may be anything.
     */
    private static Tensor gemmReady(Tensor t) {
        int r = t.shape.length;
        int rows = t.shape[r - 2];
        int cols = t.shape[r - 1];
        int sr = t.strides[r - 2];
        int sc = t.strides[r - 1];
        boolean rowMajor = (sc == 1 || cols == 1) && (sr >= Math.max(1, cols) || rows == 1);
        boolean colMajor = (sr == 1 || rows == 1) && (sc >= Math.max(1, rows) || cols == 1);
        if (rowMajor || colMajor) {
            return normalizeUnitStrides(t);
        }
        return new Tensor(t.toArray(), t.shape.clone());
    }

    /** Rewrites strides of size-1 matrix dimensions so the layout tests in mm need no special cases. */
    private static Tensor normalizeUnitStrides(Tensor t) {
        int r = t.shape.length;
        int rows = t.shape[r - 2];
        int cols = t.shape[r - 1];
        int[] st = t.strides.clone();
        if (cols == 1 && rows == 1) {
            st[r - 1] = 1;
            st[r - 2] = 1;
        } else if (cols == 1) {
            // A column: row-major with stride sr works only when sr is the step between elements.
            if (st[r - 2] == 1) {
                st[r - 1] = Math.max(1, rows); // column-major, ld = rows
            } else {
                st[r - 1] = 1; // row-major with ld = sr
            }
        } else if (rows == 1) {
            if (st[r - 1] == 1) {
                st[r - 2] = Math.max(1, cols);
            } else {
                st[r - 2] = 1; // column-major with ld = sc
            }
        }
        return new Tensor(t.data, t.offset, t.shape, st);
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
