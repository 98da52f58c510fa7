package org.omomi.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.init.Init;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * The distance clustering uses: a map f from (scaled) features to a space where distance is
 * Euclidean, d(x, y) = ‖f(x) − f(y)‖. k-means runs on f(x).
 *
 * <ul>
 * <li>{@link #identity}: plain k-means, f(x) = x.</li>
 * <li>{@link #weighted}: weighted k-means, d² = Σⱼ wⱼ(xⱼ − yⱼ)², i.e. f(x) = √w ⊙ x.</li>
 * <li>{@link #diagonal} and {@link #linear}: a learned Mahalanobis metric d² = (x − y)ᵀAᵀA(x − y),
 *     f(x) = Ax, A diagonal or full, starting from the identity.</li>
 * <li>{@link #mlp}: a neural embedding f(x) = W₂·ReLU(W₁x + b₁) + b₂.</li>
 * </ul>
 * Its {@linkplain #featureWeights feature weights} say how much of the distance between two
 * customers each feature makes up, on average.
 */
public final class Metric {

    /** Hidden units of the neural embedding (default). */
    public static final int HIDDEN = 32;
    /** Dimensions of the neural embedding (default). */
    public static final int EMBEDDING = 8;

    private final String kind;
    private final int in;
    private final Module module; // null for the identity

    private Metric(String kind, int in, Module module) {
        this.kind = kind;
        this.in = in;
        this.module = module;
    }

    /** Euclidean distance on the features as they are. */
    public static Metric identity(int features) {
        return new Metric("identity", features, null);
    }

    /** d² = Σⱼ wⱼ(xⱼ − yⱼ)² for non-negative weights w. */
    public static Metric weighted(double[] weights) {
        float[] s = new float[weights.length];
        for (int j = 0; j < weights.length; j++) {
            if (!(weights[j] >= 0) || !Double.isFinite(weights[j])) {
                throw new IllegalArgumentException("feature weights must be finite and ≥ 0, got " + weights[j] + " for feature " + j);
            }
            s[j] = (float) Math.sqrt(weights[j]);
        }
        Metric m = diagonal(weights.length);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            m.module.parameters().get(0).copyFrom(Tensor.vector(s));
        }
        return new Metric("weighted", weights.length, m.module);
    }

    /** A learnable diagonal map f(x) = a ⊙ x, a = 1 to start. */
    public static Metric diagonal(int features) {
        return new Metric("diagonal", features, new Scale(features));
    }

    /** A learnable linear map f(x) = Ax, A [features, features] = I to start. */
    public static Metric linear(int features) {
        Dense a = new Dense(features, features, false, new Rng(0), Init.zeros(), Init.zeros());
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            a.weight().copyFrom(Tensor.eye(features));
        }
        return new Metric("linear", features, a);
    }

    /** A learnable embedding: Dense(features → hidden), ReLU, Dense(hidden → out), He-initialised. */
    public static Metric mlp(int features, int hidden, int out, Rng rng) {
        Sequential net = new Sequential(
                new Dense(features, hidden, true, rng.split(), Init.heNormal(), Init.zeros()),
                Activation.relu(),
                new Dense(hidden, out, true, rng.split(), Init.xavierUniform(), Init.zeros()));
        return new Metric("mlp", features, net);
    }

    /** identity, weighted, diagonal, linear or mlp. */
    public String kind() {
        return kind;
    }

    /** The number of input features. */
    public int features() {
        return in;
    }

    /** The trainable tensors (none for the identity and for given weights). */
    public List<Tensor> parameters() {
        return module == null || kind.equals("weighted") ? List.of() : module.parameters();
    }

    /** f(x) for x [n, features], recording the graph when autograd is on. */
    public Tensor apply(Tensor x) {
        if (x.dim() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException("the metric takes [n, " + in + "] features, got " + java.util.Arrays.toString(x.shape()));
        }
        return module == null ? x : module.forward(x);
    }

    /** f(x) without recording gradients. */
    public Tensor embed(Tensor x) {
        if (module == null) {
            return x;
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor y = apply(x);
            return y.ownsArray() ? y : Tensor.wrap(y.toArray(), y.shape());
        }
    }

    /** Random pairs the neural embedding's weights are averaged over. */
    static final int WEIGHT_PAIRS = 1024;

    /**
     * Each feature's share of the squared distance between two customers of x [n, features], on
     * average over pairs: wⱼ = E[cⱼ(x, y)] / E[d²(x, y)], where cⱼ(x, y) is feature j's
     * {@linkplain Contributions contribution} to d²(x, y) (the shares sum to 1). For a linear metric
     * this is exact, wⱼ = (MΣ)ⱼⱼ / tr(MΣ) with M = AᵀA and Σ the covariance of x; so for plain
     * k-means on standardised features every feature weighs the same, and a direction the data never
     * vary in (the sum of a categorical feature's indicators) weighs nothing. For the neural
     * embedding it is averaged over {@value #WEIGHT_PAIRS} pairs drawn with a fixed seed.
     */
    public double[] featureWeights(Tensor x) {
        if (x.dim() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException("featureWeights takes [n, " + in + "] features, got " + java.util.Arrays.toString(x.shape()));
        }
        double[] w = kind.equals("mlp") ? pairShares(x) : linearShares(x);
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int j = 0; j < in; j++) {
            w[j] = total > 0 ? w[j] / total : 1.0 / in;
        }
        return w;
    }

    /** diag(MΣ) for a linear metric, M = AᵀA. */
    private double[] linearShares(Tensor x) {
        int n = x.size(0);
        float[] v = x.contiguous().toArray();
        double[] mean = new double[in];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                mean[j] += v[i * in + j];
            }
        }
        for (int j = 0; j < in; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[in][in];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                double a = v[i * in + j] - mean[j];
                for (int k = j; k < in; k++) {
                    cov[j][k] += a * (v[i * in + k] - mean[k]);
                }
            }
        }
        for (int j = 0; j < in; j++) {
            for (int k = j; k < in; k++) {
                cov[j][k] /= n;
                cov[k][j] = cov[j][k];
            }
        }
        double[][] m = mahalanobis();
        double[] w = new double[in];
        for (int j = 0; j < in; j++) {
            for (int k = 0; k < in; k++) {
                w[j] += m[j][k] * cov[k][j];
            }
        }
        return w;
    }

    /** M = AᵀA [features][features] of a linear metric. */
    double[][] mahalanobis() {
        double[][] m = new double[in][in];
        switch (kind) {
            case "identity" -> {
                for (int j = 0; j < in; j++) {
                    m[j][j] = 1;
                }
            }
            case "weighted", "diagonal" -> {
                float[] a = module.parameters().get(0).toArray();
                for (int j = 0; j < in; j++) {
                    m[j][j] = (double) a[j] * a[j];
                }
            }
            case "linear" -> {
                Tensor a = module.parameters().get(0);
                float[] v = a.toArray();
                for (int r = 0; r < a.size(0); r++) {
                    for (int j = 0; j < in; j++) {
                        for (int k = 0; k < in; k++) {
                            m[j][k] += (double) v[r * in + j] * v[r * in + k];
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("the " + kind + " metric is not linear");
        }
        return m;
    }

    /** Mean contributions over random pairs (x, y), each from y to x toward f(y). */
    private double[] pairShares(Tensor x) {
        int n = x.size(0);
        double[] w = new double[in];
        if (n < 2) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        Rng rng = new Rng(0);
        int[] a = new int[WEIGHT_PAIRS];
        int[] b = new int[WEIGHT_PAIRS];
        for (int p = 0; p < WEIGHT_PAIRS; p++) {
            a[p] = rng.nextInt(n);
            do {
                b[p] = rng.nextInt(n);
            } while (b[p] == a[p]);
        }
        Tensor from = x.indexSelect(0, b);
        double[][] c = Contributions.of(this, x.indexSelect(0, a), from, embed(from));
        for (double[] row : c) {
            for (int j = 0; j < in; j++) {
                w[j] += row[j];
            }
        }
        return w;
    }

    // ------------------------------------------------------------------ JSON

    /** The metric as JSON: kind, sizes and weights (each tensor as its shape and values). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("features", (long) in);
        if (module != null) {
            Map<String, Object> state = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : module.stateDict().entrySet()) {
                Map<String, Object> t = new LinkedHashMap<>();
                List<Object> shape = new ArrayList<>();
                for (int s : e.getValue().shape()) {
                    shape.add((long) s);
                }
                t.put("shape", shape);
                t.put("values", e.getValue().toArray());
                state.put(e.getKey(), t);
            }
            m.put("state", state);
        }
        return m;
    }

    /** Reads {@link #toJson()}'s output; errors say what is wrong. */
    public static Metric fromJson(Map<String, Object> json) {
        String kind = JsonFields.string(json, "kind");
        int features = JsonFields.integer(json, "features");
        if (kind.equals("identity")) {
            return identity(features);
        }
        Map<String, Object> state = JsonFields.object(json, "state");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.entrySet()) {
            Map<String, Object> t = JsonFields.object(state, e.getKey());
            tensors.put(e.getKey(), Tensor.of(JsonFields.floats(t, "values"), JsonFields.ints(t, "shape")));
        }
        Metric m = switch (kind) {
            case "weighted" -> new Metric("weighted", features, new Scale(features));
            case "diagonal" -> diagonal(features);
            case "linear" -> linear(features);
            case "mlp" -> {
                Tensor w1 = tensors.get("0.weight");
                Tensor w2 = tensors.get("2.weight");
                if (w1 == null || w2 == null) {
                    throw new IllegalArgumentException("metric mlp: the state needs 0.weight and 2.weight");
                }
                yield mlp(features, w1.size(0), w2.size(0), new Rng(0));
            }
            default -> throw new IllegalArgumentException("unknown metric kind '" + kind + "'; known: identity, weighted, diagonal, linear, mlp");
        };
        m.module.loadStateDict(tensors);
        return m;
    }

    /** f(x) = a ⊙ x, a learnable scale per feature. */
    private static final class Scale extends Module {
        private final Tensor scale;

        Scale(int features) {
            scale = parameter("scale", Tensor.ones(features));
        }

        @Override
        public void resetParameters(Rng rng) {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                scale.fill(1f);
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(scale);
        }
    }
}
