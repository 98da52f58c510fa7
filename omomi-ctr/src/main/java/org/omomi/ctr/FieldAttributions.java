package org.omomi.ctr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.omomi.explain.Quadrature;
import org.omomi.nn.Embedding;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * Integrated Gradients of a click model's logit, per categorical field and per numeric feature
 * (Sundararajan et al. 2017). Ids have no gradient, so the path runs through what the ids become:
 * forward hooks on the embedding nodes ({@link ClickModel#LINEAR}, {@link ClickModel#VECTORS})
 * replace their outputs e (a field's first-order weight and its vector) by b + α·(e − b), and the
 * numeric input x by x′ + α·(x − x′), α from 0 to 1.
 *
 * <p><b>Baseline.</b> {@link Baseline#mean}, the default: each field's weight and vector at
 * their mean over a reference set of impressions (the held-out rows), each standardized numeric
 * feature at 0, its training mean — "the average impression". A field's attribution then says how
 * far its value moves the logit from an average value of the field. The all-zero embedding
 * ({@link Baseline#zero}) is the other common choice, but a click model cannot tell a field's
 * weights apart from the bias: every impression has exactly one value per field, so adding c to
 * all of a field's weights and −c to the bias changes no prediction, and where training happened
 * to leave that c the zero baseline credits to the field — a pure-noise field can look important.
 * The mean baseline is unaffected by c. For logistic regression field f's attribution is exactly
 * w[id_f] − mean(w_f) and feature j's u_j·x_j (the model is linear in e and x).
 *
 * <p><b>Completeness.</b> attribution_f = Σ_nodes Σ_k (e − b)_{f,k}·∫₀¹ ∂F/∂e_{f,k} dα, and
 * Σ attributions = F(x) − F(baseline) up to the quadrature's error δ, reported with each row (50
 * Gauss–Legendre nodes, Captum's default rule and count, integrate the FM's quadratic path
 * exactly).
 */
public final class FieldAttributions {

    /**
     * One impression's attributions: {@code fields} [F] in {@link ClickFeatures#fieldNames()} order,
     * {@code numeric} [D] in {@link ClickFeatures#numericNames()} order, F(x) and F(baseline) as
     * logits, and δ = Σ attributions − (F(x) − F(baseline)).
     */
    public record Row(float[] fields, float[] numeric, double fx, double fBaseline, double delta) {
        /** Σ of every attribution. */
        public double sum() {
            double s = 0;
            for (float v : fields) {
                s += v;
            }
            for (float v : numeric) {
                s += v;
            }
            return s;
        }
    }

    /**
     * Where the path starts: per embedding node present in the model, a [F, dim] tensor (each
     * field's starting weight or vector); the numeric features start at 0.
     */
    public record Baseline(String name, Map<String, Tensor> nodes) {

        /** Every field's weight and vector 0. */
        public static Baseline zero(Module model, ClickFeatures features) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String node : NODES) {
                if (model.namedModules().containsKey(node)) {
                    m.put(node, Tensor.zeros(features.fieldCount(), ((Embedding) model.module(node)).dim()));
                }
            }
            return new Baseline("zero", m);
        }

        /** Each field's weight and vector at their mean over the rows of {@code reference}. */
        public static Baseline mean(Module model, ClickFeatures features, Inputs reference) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            List<Module> nodes = embeddingNodes(model);
            boolean wasTraining = model.isTraining();
            model.eval();
            double[][] sums = new double[nodes.size()][];
            int[] dims = new int[nodes.size()];
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (int from = 0; from < reference.size(); from += 4096) {
                    int[] idx = new int[Math.min(4096, reference.size() - from)];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = from + i;
                    }
                    run(model, nodes, reference.rows(idx), (k, e) -> {
                        float[] v = e.toArray();
                        int inner = v.length / e.size(0);
                        dims[k] = e.size(2);
                        if (sums[k] == null) {
                            sums[k] = new double[inner];
                        }
                        for (int i = 0; i < v.length; i++) {
                            sums[k][i % inner] += v[i];
                        }
                        return e;
                    });
                }
            } finally {
                if (wasTraining) {
                    model.train();
                }
            }
            for (int k = 0; k < nodes.size(); k++) {
                float[] mean = new float[sums[k].length];
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = (float) (sums[k][i] / reference.size());
                }
                m.put(NODES[k], Tensor.wrap(mean, features.fieldCount(), dims[k]));
            }
            return new Baseline("mean", m);
        }
    }

    /** Steps of the integral: Captum's default. */
    public static final int STEPS = 50;

    private static final String[] NODES = {ClickModel.LINEAR, ClickModel.VECTORS};

    private FieldAttributions() {}

    /** Attributions of every row of {@code rows}, through a model in evaluation mode (restored after). */
    public static List<Row> explain(Module model, ClickFeatures features, Inputs rows, Baseline baseline, int steps) {
        double[][] rule = Quadrature.GAUSS_LEGENDRE.rule(steps);
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Row> out = new ArrayList<>();
        try {
            int chunk = Math.max(1, 2048 / steps);
            for (int from = 0; from < rows.size(); from += chunk) {
                int[] idx = new int[Math.min(chunk, rows.size() - from)];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                out.addAll(chunk(model, features, rows.rows(idx), baseline, rule));
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return out;
    }

    private static List<Row> chunk(Module model, ClickFeatures features, Inputs in, Baseline baseline, double[][] rule) {
        int r = in.size();
        int s = rule[0].length;
        int f = features.fieldCount();
        int d = features.numericCount();
        List<Module> nodes = embeddingNodes(model);
        Tensor[] base = new Tensor[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            base[k] = baseline.nodes().get(NODES[k]);
        }
        // The actual embedding outputs e and F(x).
        Tensor[] actual = new Tensor[nodes.size()];
        double[] fx;
        double[] fb;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            fx = toDouble(run(model, nodes, in, (k, e) -> {
                actual[k] = e;
                return e;
            }).toArray());
            Inputs zero = in;
            if (d > 0) {
                zero = replace(in, ClickFeatures.NUMERIC, Tensor.zeros(r, d));
            }
            fb = toDouble(run(model, nodes, zero, (k, e) -> repeat(base[k], r)).toArray());
        }
        // The path: row i, step j at i·s + j.
        int[] repeat = new int[r * s];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < s; j++) {
                repeat[i * s + j] = i;
            }
        }
        Inputs path = in.rows(repeat);
        Tensor[] leaves = new Tensor[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            leaves[k] = path(actual[k], base[k], rule[0], r, s).requiresGrad(true);
        }
        Tensor xLeaf = null;
        if (d > 0) {
            xLeaf = path(in.tensor(ClickFeatures.NUMERIC), Tensor.zeros(d), rule[0], r, s).requiresGrad(true);
            path = replace(path, ClickFeatures.NUMERIC, xLeaf);
        }
        Tensor[] grads;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            Tensor out = run(model, nodes, path, (k, e) -> leaves[k]);
            List<Tensor> wrt = new ArrayList<>(List.of(leaves));
            if (xLeaf != null) {
                wrt.add(xLeaf);
            }
            grads = Autograd.grad(out.sum(), wrt.toArray(new Tensor[0]));
        }
        List<Row> rows = new ArrayList<>();
        double[] w = rule[1];
        float[] xv = d > 0 ? in.tensor(ClickFeatures.NUMERIC).toArray() : new float[0];
        float[][] av = new float[nodes.size()][];
        float[][] gv = new float[grads.length][];
        for (int k = 0; k < nodes.size(); k++) {
            av[k] = actual[k].sub(base[k]).toArray(); // e − b, the baseline broadcast over the rows
        }
        for (int k = 0; k < grads.length; k++) {
            gv[k] = grads[k].toArray();
        }
        for (int i = 0; i < r; i++) {
            double[] field = new double[f];
            for (int k = 0; k < nodes.size(); k++) {
                int dim = actual[k].size(2);
                for (int j = 0; j < s; j++) {
                    int at = (i * s + j) * f * dim;
                    for (int q = 0; q < f; q++) {
                        double acc = 0;
                        for (int z = 0; z < dim; z++) {
                            acc += (double) av[k][(i * f + q) * dim + z] * gv[k][at + q * dim + z];
                        }
                        field[q] += w[j] * acc;
                    }
                }
            }
            double[] num = new double[d];
            if (d > 0) {
                float[] gx = gv[grads.length - 1];
                for (int j = 0; j < s; j++) {
                    for (int q = 0; q < d; q++) {
                        num[q] += w[j] * gx[(i * s + j) * d + q];
                    }
                }
                for (int q = 0; q < d; q++) {
                    num[q] *= xv[i * d + q];
                }
            }
            float[] ff = new float[f];
            float[] nf = new float[d];
            double sum = 0;
            for (int q = 0; q < f; q++) {
                ff[q] = (float) field[q];
                sum += field[q];
            }
            for (int q = 0; q < d; q++) {
                nf[q] = (float) num[q];
                sum += num[q];
            }
            rows.add(new Row(ff, nf, fx[i], fb[i], sum - (fx[i] - fb[i])));
        }
        return rows;
    }

    /** What a hook does with node k's output. */
    private interface NodeHook {
        Tensor apply(int node, Tensor output);
    }

    /** The model's logits [N] with each node's output passed through {@code hook}; the hooks are restored after. */
    private static Tensor run(Module model, List<Module> nodes, Inputs in, NodeHook hook) {
        List<UnaryOperator<Tensor>> previous = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            int node = k;
            previous.add(nodes.get(k).setForwardHook(e -> hook.apply(node, e)));
        }
        try {
            Tensor out = model.call(in);
            return out.reshape(out.size(0));
        } finally {
            for (int k = 0; k < nodes.size(); k++) {
                nodes.get(k).setForwardHook(previous.get(k));
            }
        }
    }

    private static List<Module> embeddingNodes(Module model) {
        List<Module> nodes = new ArrayList<>();
        for (String name : NODES) {
            if (model.namedModules().containsKey(name)) {
                nodes.add(model.module(name));
            }
        }
        return nodes;
    }

    /** {@code b} [F, dim] repeated for r rows: [r, F, dim]. */
    private static Tensor repeat(Tensor b, int r) {
        float[] v = b.toArray();
        float[] out = new float[r * v.length];
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, 0, out, i * v.length, v.length);
        }
        int[] shape = new int[b.dim() + 1];
        shape[0] = r;
        System.arraycopy(b.shape(), 0, shape, 1, b.dim());
        return Tensor.wrap(out, shape);
    }

    /** Row i of {@code t} [r, …] on the path b + α_j·(t_i − b) for every step j: [r·s, …]. */
    private static Tensor path(Tensor t, Tensor b, double[] alphas, int r, int s) {
        float[] v = t.toArray();
        float[] bv = b.toArray();
        int inner = v.length / r;
        float[] out = new float[r * s * inner];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < s; j++) {
                double a = alphas[j];
                int dst = (i * s + j) * inner;
                for (int z = 0; z < inner; z++) {
                    out[dst + z] = (float) (bv[z] + a * ((double) v[i * inner + z] - bv[z]));
                }
            }
        }
        int[] shape = t.shape();
        shape[0] = r * s;
        return Tensor.wrap(out, shape);
    }

    /** The same inputs with one float input replaced. */
    private static Inputs replace(Inputs in, String name, Tensor value) {
        Inputs out = null;
        for (String n : in.names()) {
            boolean ids = in.isIds(n);
            if (ids) {
                IntTensor t = in.ids(n);
                out = out == null ? Inputs.of(n, t) : out.with(n, t);
            } else {
                Tensor t = n.equals(name) ? value : in.tensor(n);
                out = out == null ? Inputs.of(n, t) : out.with(n, t);
            }
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
