package org.omomi.ctr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.AddSpec;
import org.omomi.nn.LayerSpec.BiasSpec;
import org.omomi.nn.LayerSpec.ConcatSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.DropoutSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.PairwiseInteractionsSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.LayerSpec.SumSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.nn.ModelSpec.NodeSpec;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * The click models as {@link ModelSpec} graphs over a log's {@link ClickFeatures}, so they train
 * with the shared {@code Trainer}, save as ordinary run folders and have a PyTorch twin. Nodes
 * (state-dict keys {@code NODE.weight}):
 *
 * <pre>
 * ids [N, F] ─ linear: embedding(rows, 1) → [N, F, 1] ─ flatten, linear_sum: sum → [N, 1] ┐
 * x   [N, D] ─ dense: dense(D → 1, no bias) → [N, 1] ─────────────────────────────────────┤
 * ids ─ vectors: embedding(rows, k) → [N, F, k] ─ pairwise: Σ_{f&lt;g}⟨v_f, v_g⟩ → [N, 1] ─┤ (fm, deepfm)
 *       vectors ─ flatten ─ concat with x ─ deep: dense·ReLU … dense(→ 1) → [N, 1] ───────┤ (deepfm)
 *                                                             sum: add ─ logit: bias ─────┘
 * </pre>
 *
 * Initialization ({@link #build}): first-order weights 0 (LR starts as the constant model; the
 * article's three features may start elsewhere, {@link #setStartingWeights}), field vectors
 * N(0, {@value #VECTOR_STD}²), the MLP He-normal (ReLU) but its last layer 0, the bias 0. Tables are sparse: a step updates only the rows its batch
 * touched.
 */
public final class ClickModel {

    public static final String LINEAR = "linear";
    public static final String LINEAR_SUM = "linear_sum";
    public static final String DENSE = "dense";
    public static final String VECTORS = "vectors";
    public static final String PAIRWISE = "pairwise";
    public static final String DEEP = "deep";
    public static final String LOGIT = "logit";

    /** The standard deviation of the field vectors at the start. */
    public static final double VECTOR_STD = 0.01;

    private ClickModel() {}

    /**
     * The graph of {@code kind} for these features: {@code dim} is k, the field vectors' size
     * (fm, deepfm), {@code hidden} the MLP's widths and {@code dropout} its dropout (deepfm).
     */
    public static ModelSpec spec(ModelKind kind, ClickFeatures f, int dim, List<Integer> hidden, double dropout) {
        int fields = f.fieldCount();
        int numeric = f.numericCount();
        int rows = f.tableRows();
        if (kind != ModelKind.LR && fields == 0) {
            throw new IllegalArgumentException(kind.label() + " needs categorical fields (their vectors interact); this log has only numeric features; use lr");
        }
        if (kind != ModelKind.LR && dim < 1) {
            throw new IllegalArgumentException("the field vectors' size must be positive, got " + dim);
        }
        List<InputSpec> inputs = new ArrayList<>();
        List<NodeSpec> nodes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        if (fields > 0) {
            inputs.add(InputSpec.ids(ClickFeatures.IDS, fields));
            nodes.add(new NodeSpec(LINEAR, new EmbeddingSpec(rows, 1, true, 0.0), ClickFeatures.IDS));
            // Two nodes rather than a sequence of sum and flatten: a sum has no nn module in the PyTorch twin.
            nodes.add(new NodeSpec("linear_flat", new FlattenSpec(), LINEAR));
            nodes.add(new NodeSpec(LINEAR_SUM, new SumSpec(1), "linear_flat"));
            parts.add(LINEAR_SUM);
        }
        if (numeric > 0) {
            inputs.add(InputSpec.floats(ClickFeatures.NUMERIC, numeric));
            nodes.add(new NodeSpec(DENSE, new DenseSpec(numeric, 1, false, "torch"), ClickFeatures.NUMERIC));
            parts.add(DENSE);
        }
        if (kind != ModelKind.LR) {
            nodes.add(new NodeSpec(VECTORS, new EmbeddingSpec(rows, dim, true, VECTOR_STD), ClickFeatures.IDS));
            nodes.add(new NodeSpec(PAIRWISE, new PairwiseInteractionsSpec(), VECTORS));
            parts.add(PAIRWISE);
        }
        if (kind == ModelKind.DEEPFM) {
            if (hidden.isEmpty()) {
                throw new IllegalArgumentException("deepfm needs at least one hidden layer (--hidden)");
            }
            nodes.add(new NodeSpec("vectors_flat", new FlattenSpec(), VECTORS));
            String deepIn = "vectors_flat";
            int width = fields * dim;
            if (numeric > 0) {
                nodes.add(new NodeSpec("deep_in", new ConcatSpec(1), "vectors_flat", ClickFeatures.NUMERIC));
                deepIn = "deep_in";
                width += numeric;
            }
            List<LayerSpec> mlp = new ArrayList<>();
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("hidden layer widths must be positive, got " + h);
                }
                mlp.add(new DenseSpec(width, h, true, "he"));
                mlp.add(ActivationSpec.of("relu"));
                if (dropout > 0) {
                    mlp.add(new DropoutSpec(dropout, false));
                }
                width = h;
            }
            mlp.add(new DenseSpec(width, 1, false, "he"));
            nodes.add(new NodeSpec(DEEP, new SequentialSpec(mlp), deepIn));
            parts.add(DEEP);
        }
        String sum = parts.get(0);
        if (parts.size() > 1) {
            nodes.add(new NodeSpec("sum", new AddSpec(), parts));
            sum = "sum";
        }
        nodes.add(new NodeSpec(LOGIT, new BiasSpec(1), sum));
        return ModelSpec.graph("ctr_" + kind.label(), inputs, 1, nodes, LOGIT);
    }

    /**
     * A fresh model of {@code spec} from the seed, as {@link ModelSpec#build} gives it, then with
     * the MLP's last layer at 0 (DeepFM then starts as its FM, rather than adding the noise of a
     * random deep part to every logit; its hidden layers start learning once that layer has moved)
     * and the numeric features' first-order weights at their starting values.
     */
    public static Module build(ModelSpec spec, ClickFeatures f, long seed, Map<String, Double> start) {
        Module model = spec.build(new org.omomi.tensor.Rng(seed));
        Map<String, Tensor> state = model.stateDict();
        String last = null;
        for (String k : state.keySet()) {
            if (k.startsWith(DEEP + ".") && k.endsWith(".weight")) {
                last = k;
            }
        }
        if (last != null) {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                state.get(last).fill(0f);
            }
        }
        setStartingWeights(model, f, start);
        return model;
    }

    /** The kind of a click model's spec, from its name. */
    public static ModelKind kindOf(ModelSpec spec) {
        if (!spec.name().startsWith("ctr_")) {
            throw new IllegalArgumentException("not a click model: '" + spec.name() + "'");
        }
        return ModelKind.named(spec.name().substring(4));
    }

    /**
     * Sets the numeric features' first-order weights: every one to 0, then the named ones to the
     * given values (the article's starting weights); names the log does not have are left out.
     */
    public static void setStartingWeights(Module model, ClickFeatures f, Map<String, Double> start) {
        if (f.numericCount() == 0) {
            return;
        }
        Tensor w = model.stateDict().get(DENSE + ".weight");
        float[] v = new float[f.numericCount()];
        for (int j = 0; j < v.length; j++) {
            Double s = start.get(f.numeric().get(j).name());
            v[j] = s == null ? 0f : s.floatValue();
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            w.copyFrom(Tensor.of(v, 1, v.length));
        }
    }

    /** The tables (sparse gradients): what goes into the optimizer's group without weight decay. */
    public static List<Tensor> tables(Module model) {
        List<Tensor> t = new ArrayList<>();
        model.namedParameters().forEach((k, v) -> {
            if (k.equals(LINEAR + ".weight") || k.equals(VECTORS + ".weight")) {
                t.add(v);
            }
        });
        return t;
    }
}
