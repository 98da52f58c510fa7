package org.omomi.onnx;

import static org.omomi.onnx.OnnxGraph.floatAttr;
import static org.omomi.onnx.OnnxGraph.intAttr;
import static org.omomi.onnx.OnnxGraph.intsAttr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.omomi.io.Json;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.AddSpec;
import org.omomi.nn.LayerSpec.BasicBlockSpec;
import org.omomi.nn.LayerSpec.BatchNormSpec;
import org.omomi.nn.LayerSpec.BiasSpec;
import org.omomi.nn.LayerSpec.ConcatSpec;
import org.omomi.nn.LayerSpec.Conv2dSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.DotSpec;
import org.omomi.nn.LayerSpec.DropoutSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.GlobalAvgPoolSpec;
import org.omomi.nn.LayerSpec.LayerNormSpec;
import org.omomi.nn.LayerSpec.MultiplySpec;
import org.omomi.nn.LayerSpec.PairwiseInteractionsSpec;
import org.omomi.nn.LayerSpec.PoolSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.LayerSpec.SumSpec;
import org.omomi.nn.LayerSpec.UnflattenSpec;

/**
 * Each omomi layer kind as ONNX operators (opset 17), one writer per {@link LayerSpec} record.
 * A writer reads the layer's weights by their state-dict keys and follows omomi's own formula,
 * operation for operation where the formula is a composition (GELU, the factorization machine's
 * pairwise term), so ONNX Runtime computes what omomi computes. docs/onnx.md has the table.
 */
final class OnnxLayers {

    /** Writes one layer's nodes; returns the tensor the layer outputs. */
    interface Writer {
        Value write(LayerSpec layer, List<Value> in, Scope at, OnnxGraph g);
    }

    /** ε of omomi's BatchNorm and LayerNorm (and PyTorch's default). */
    static final float NORM_EPS = 1e-5f;

    private final Map<Class<? extends LayerSpec>, Writer> writers;
    private final Map<Class<? extends LayerSpec>, String> names;

    private OnnxLayers(Map<Class<? extends LayerSpec>, Writer> writers, Map<Class<? extends LayerSpec>, String> names) {
        this.writers = writers;
        this.names = names;
    }

    /** Every layer kind omomi has. */
    static OnnxLayers standard() {
        Builder b = new Builder();
        b.add(DenseSpec.class, "dense", (l, in, at, g) -> dense((DenseSpec) l, in, at, g));
        b.add(Conv2dSpec.class, "conv2d", (l, in, at, g) -> conv((Conv2dSpec) l, in, at, g));
        b.add(PoolSpec.class, "maxpool2d, avgpool2d", (l, in, at, g) -> pool((PoolSpec) l, in, at, g));
        b.add(GlobalAvgPoolSpec.class, "global_avg_pool", OnnxLayers::globalAvgPool);
        b.add(BatchNormSpec.class, "batchnorm1d, batchnorm2d", (l, in, at, g) -> batchNorm(in.get(0), at.key(""), at.out(), at.label(), g));
        b.add(LayerNormSpec.class, "layernorm", OnnxLayers::layerNorm);
        b.add(BasicBlockSpec.class, "basic_block", (l, in, at, g) -> basicBlock((BasicBlockSpec) l, in, at, g));
        b.add(EmbeddingSpec.class, "embedding", OnnxLayers::embedding);
        b.add(BiasSpec.class, "bias", OnnxLayers::bias);
        b.add(FlattenSpec.class, "flatten", (l, in, at, g) -> Value.floats(
                g.node("Flatten", at.label(), at.out(), List.of(floats(in, at).name()), intAttr("axis", 1)), 2));
        b.add(UnflattenSpec.class, "unflatten", (l, in, at, g) -> unflatten((UnflattenSpec) l, in, at, g));
        b.add(DropoutSpec.class, "dropout, dropout2d", (l, in, at, g) -> same(in, g.node("Identity", at.label(), at.out(), List.of(in.get(0).name()))));
        b.add(ActivationSpec.class, String.join(", ", activationNames()), (l, in, at, g) -> activation((ActivationSpec) l, in, at, g));
        b.add(ConcatSpec.class, "concat", (l, in, at, g) -> concat((ConcatSpec) l, in, at, g));
        b.add(AddSpec.class, "add", (l, in, at, g) -> fold("Add", in, at, g));
        b.add(MultiplySpec.class, "multiply", (l, in, at, g) -> fold("Mul", in, at, g));
        b.add(DotSpec.class, "dot", OnnxLayers::dot);
        b.add(SumSpec.class, "sum", (l, in, at, g) -> same(in, reduceSum(floats(in, at).name(), ((SumSpec) l).axis(), true, at.label(), at.out(), g)));
        b.add(PairwiseInteractionsSpec.class, "pairwise_interactions", OnnxLayers::pairwise);
        return b.build();
    }

    /** A registry with some kinds left out, to see the error a missing one gives. */
    OnnxLayers without(Class<? extends LayerSpec> kind) {
        Map<Class<? extends LayerSpec>, Writer> w = new LinkedHashMap<>(writers);
        Map<Class<? extends LayerSpec>, String> n = new LinkedHashMap<>(names);
        w.remove(kind);
        n.remove(kind);
        return new OnnxLayers(w, n);
    }

    /** The layer types that can be exported, sorted. */
    List<String> supported() {
        TreeSet<String> all = new TreeSet<>(List.of("sequential"));
        names.values().forEach(v -> all.addAll(Arrays.asList(v.split(", "))));
        return List.copyOf(all);
    }

    /** Writes {@code layer} at {@code at}; an unsupported kind is an error naming it and where it is. */
    Value write(LayerSpec layer, List<Value> in, Scope at, OnnxGraph g) {
        if (layer instanceof SequentialSpec s) { // a container, not an operator: its layers are written in its scope
            return sequence(s.layers(), in.get(0), at, g);
        }
        Writer w = writers.get(layer.getClass());
        if (w == null) {
            throw new IllegalArgumentException("ONNX export: " + at.where() + " is a '" + layer.type()
                    + "' layer, which has no ONNX form yet; supported: " + String.join(", ", supported()));
        }
        Value v = w.write(layer, in, at, g);
        g.describe(v.name(), Json.write(layer.toJson()));
        return v;
    }

    /** The layers of a sequence, each reading the last one's output; the last writes {@code at.out()}. */
    Value sequence(List<LayerSpec> layers, Value x, Scope at, OnnxGraph g) {
        Value h = x;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            h = write(l, List.of(h), at.child(i, l.type(), i == layers.size() - 1), g);
        }
        return h;
    }

    private static final class Builder {
        final Map<Class<? extends LayerSpec>, Writer> writers = new LinkedHashMap<>();
        final Map<Class<? extends LayerSpec>, String> names = new LinkedHashMap<>();

        void add(Class<? extends LayerSpec> kind, String types, Writer w) {
            writers.put(kind, w);
            names.put(kind, types);
        }

        OnnxLayers build() {
            return new OnnxLayers(Collections.unmodifiableMap(writers), Collections.unmodifiableMap(names));
        }
    }

    // ------------------------------------------------------------------ dense and convolutional

    /**
     * y = x·Wᵀ + b: {@code Gemm} (transB = 1) on [N, in]; on [N, …, in], {@code MatMul} with the
     * transposed weight, then {@code Add} (Gemm takes matrices only). W keeps its [out, in] layout
     * and its state-dict name either way.
     */
    static Value dense(DenseSpec d, List<Value> in, Scope at, OnnxGraph g) {
        Value x = floats(in, at);
        String w = g.weight(at.key("weight"));
        String b = d.bias() ? g.weight(at.key("bias")) : null;
        if (x.rank() == 2) {
            return same(in, g.node("Gemm", at.label(), at.out(), Arrays.asList(x.name(), w, b), intAttr("transB", 1)));
        }
        String wt = g.node("Transpose", at.step("weight_t"), List.of(w));
        if (b == null) {
            return same(in, g.node("MatMul", at.label(), at.out(), List.of(x.name(), wt)));
        }
        String xw = g.node("MatMul", at.step("matmul"), List.of(x.name(), wt));
        return same(in, g.node("Add", at.label(), at.out(), List.of(xw, b)));
    }

    static Value conv(Conv2dSpec c, List<Value> in, Scope at, OnnxGraph g) {
        return Value.floats(conv(floats(in, at).name(), at.key(""), c.kernel(), c.stride(), c.padding(), c.bias(), at.label(), at.out(), g), 4);
    }

    /** {@code Conv} with a square kernel, the same stride and padding on both axes, no dilation, one group. */
    private static String conv(String x, String key, int kernel, int stride, int padding, boolean bias, String name, String out, OnnxGraph g) {
        return g.node("Conv", name, out, Arrays.asList(x, g.weight(key + "weight"), bias ? g.weight(key + "bias") : null),
                intsAttr("kernel_shape", kernel, kernel), intsAttr("strides", stride, stride),
                intsAttr("pads", padding, padding, padding, padding), intsAttr("dilations", 1, 1), intAttr("group", 1));
    }

    static Value pool(PoolSpec p, List<Value> in, Scope at, OnnxGraph g) {
        String x = floats(in, at).name();
        if (p.max()) {
            return Value.floats(g.node("MaxPool", at.label(), at.out(), List.of(x), intsAttr("kernel_shape", p.kernel(), p.kernel()),
                    intsAttr("strides", p.stride(), p.stride()), intsAttr("pads", 0, 0, 0, 0)), 4);
        }
        return Value.floats(g.node("AveragePool", at.label(), at.out(), List.of(x), intsAttr("kernel_shape", p.kernel(), p.kernel()),
                intsAttr("strides", p.stride(), p.stride()), intsAttr("pads", 0, 0, 0, 0), intAttr("count_include_pad", 1)), 4);
    }

    /** [N, C, H, W] → [N, C]: {@code GlobalAveragePool} ([N, C, 1, 1]), then {@code Flatten}. */
    static Value globalAvgPool(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        String pooled = g.node("GlobalAveragePool", at.step("pool"), List.of(floats(in, at).name()));
        return Value.floats(g.node("Flatten", at.label(), at.out(), List.of(pooled), intAttr("axis", 1)), 2);
    }

    /**
     * Batch norm in evaluation mode, y = (x − running_mean) / √(running_var + ε) · weight + bias:
     * {@code BatchNormalization} with training_mode 0; num_batches_tracked is not needed.
     */
    static Value batchNorm(Value x, String key, String out, String name, OnnxGraph g) {
        String y = g.node("BatchNormalization", name, out, List.of(x.name(), g.weight(key + "weight"), g.weight(key + "bias"),
                g.weight(key + "running_mean"), g.weight(key + "running_var")), floatAttr("epsilon", NORM_EPS));
        return new Value(y, x.rank(), false);
    }

    /** Layer norm over the last axis: {@code LayerNormalization} (opset 17), axis −1, ε as omomi's. */
    static Value layerNorm(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        Value x = floats(in, at);
        return same(in, g.node("LayerNormalization", at.label(), at.out(),
                List.of(x.name(), g.weight(at.key("weight")), g.weight(at.key("bias"))), intAttr("axis", -1), floatAttr("epsilon", NORM_EPS)));
    }

    /**
     * ResNet's basic block as {@link org.omomi.nn.BasicBlock} computes it: conv1 → bn1 → ReLU →
     * conv2 → bn2, plus the shortcut (the input, or downsample.0 (1×1 conv) → downsample.1 (bn)),
     * then ReLU.
     */
    static Value basicBlock(BasicBlockSpec b, List<Value> in, Scope at, OnnxGraph g) {
        Value x = floats(in, at);
        String k = at.key("");
        String h = conv(x.name(), k + "conv1.", 3, b.stride(), 1, false, at.step("conv1"), at.step("conv1"), g);
        h = batchNorm(Value.floats(h, 4), k + "bn1.", at.step("bn1"), at.step("bn1"), g).name();
        h = g.node("Relu", at.step("relu1"), List.of(h));
        h = conv(h, k + "conv2.", 3, 1, 1, false, at.step("conv2"), at.step("conv2"), g);
        h = batchNorm(Value.floats(h, 4), k + "bn2.", at.step("bn2"), at.step("bn2"), g).name();
        if (b.residual()) {
            String shortcut = x.name();
            if (b.stride() != 1 || b.in() != b.out()) {
                shortcut = conv(x.name(), k + "downsample.0.", 1, b.stride(), 0, false, at.step("downsample.0"), at.step("downsample.0"), g);
                shortcut = batchNorm(Value.floats(shortcut, 4), k + "downsample.1.", at.step("downsample.1"), at.step("downsample.1"), g).name();
            }
            h = g.node("Add", at.step("add"), List.of(h, shortcut));
        }
        return Value.floats(g.node("Relu", at.label(), at.out(), List.of(h)), 4);
    }

    /**
     * Rows of the table for each id: {@code Gather} on axis 0, ids [N, …] → [N, …, dim]. Ids are
     * int64; ids that reach it as floats (omomi accepts whole numbers) are cast first.
     */
    static Value embedding(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        Value ids = in.get(0);
        String i = ids.ids() ? ids.name() : g.node("Cast", at.step("ids"), List.of(ids.name()), intAttr("to", OnnxGraph.INT64));
        return Value.floats(g.node("Gather", at.label(), at.out(), List.of(g.weight(at.key("weight")), i), intAttr("axis", 0)), ids.rank() + 1);
    }

    /** y = x + b over the last axis: {@code Add}, which broadcasts b [features] as PyTorch does. */
    static Value bias(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        Value x = floats(in, at);
        return same(in, g.node("Add", at.label(), at.out(), List.of(x.name(), g.weight(at.key("bias")))));
    }

    /** [N, ∏shape] → [N, shape…]: {@code Reshape} to (0, shape…), where 0 keeps the batch size. */
    static Value unflatten(UnflattenSpec u, List<Value> in, Scope at, OnnxGraph g) {
        long[] target = new long[u.shape().size() + 1];
        for (int i = 0; i < u.shape().size(); i++) {
            target[i + 1] = u.shape().get(i);
        }
        String shape = g.int64s(at.step("shape"), target);
        return Value.floats(g.node("Reshape", at.label(), at.out(), List.of(floats(in, at).name(), shape)), target.length);
    }

    // ------------------------------------------------------------------ activations

    private static List<String> activationNames() {
        return List.of("elu", "gelu", "leaky_relu", "relu", "sigmoid", "softplus", "tanh");
    }

    static Value activation(ActivationSpec a, List<Value> in, Scope at, OnnxGraph g) {
        String x = floats(in, at).name();
        switch (a.name()) {
            case "relu": return same(in, g.node("Relu", at.label(), at.out(), List.of(x)));
            case "sigmoid": return same(in, g.node("Sigmoid", at.label(), at.out(), List.of(x)));
            case "tanh": return same(in, g.node("Tanh", at.label(), at.out(), List.of(x)));
            case "leaky_relu": return same(in, g.node("LeakyRelu", at.label(), at.out(), List.of(x), floatAttr("alpha", (float) a.parameter())));
            case "elu": return same(in, g.node("Elu", at.label(), at.out(), List.of(x), floatAttr("alpha", (float) a.parameter())));
            case "softplus": return same(in, softplus(x, at, g));
            case "gelu": return same(in, gelu(x, at, g));
            default: throw new IllegalArgumentException("ONNX export: " + at.where() + ": no ONNX form for the activation '" + a.name() + "'");
        }
    }

    /**
     * GELU, exact, as omomi computes it: x · ((erf(x · (1/√2)) + 1) · ½). Written with {@code Erf}
     * because the {@code Gelu} operator arrived only in opset 20.
     */
    private static String gelu(String x, Scope at, OnnxGraph g) {
        String scaled = g.node("Mul", at.step("scaled"), List.of(x, g.scalar((float) (1 / Math.sqrt(2)))));
        String erf = g.node("Erf", at.step("erf"), List.of(scaled));
        String plusOne = g.node("Add", at.step("plus_one"), List.of(erf, g.scalar(1f)));
        String half = g.node("Mul", at.step("half"), List.of(plusOne, g.scalar(0.5f)));
        return g.node("Mul", at.label(), at.out(), List.of(x, half));
    }

    /**
     * Softplus with PyTorch's (and omomi's) threshold: x where x &gt; 20, else ln(1 + eˣ).
     * {@code Softplus} has no threshold; past 20 the two differ by less than e⁻²⁰ ≈ 2·10⁻⁹, and
     * the {@code Where} keeps the large-x branch exact and ONNX Runtime's exp from overflowing.
     */
    private static String softplus(String x, Scope at, OnnxGraph g) {
        String above = g.node("Greater", at.step("above_threshold"), List.of(x, g.scalar(20f)));
        String clamped = g.node("Min", at.step("clamped"), List.of(x, g.scalar(20f)));
        String smooth = g.node("Softplus", at.step("smooth"), List.of(clamped));
        return g.node("Where", at.label(), at.out(), List.of(above, x, smooth));
    }

    // ------------------------------------------------------------------ merges and reductions

    static Value concat(ConcatSpec c, List<Value> in, Scope at, OnnxGraph g) {
        List<String> names = new ArrayList<>();
        for (Value v : in) {
            names.add(floatValue(v, at).name());
        }
        return Value.floats(g.node("Concat", at.label(), at.out(), names, intAttr("axis", c.axis())), maxRank(in));
    }

    /** a ∘ b ∘ c ∘ … left to right ({@code Add} or {@code Mul}, broadcasting), as omomi folds them. */
    static Value fold(String op, List<Value> in, Scope at, OnnxGraph g) {
        String acc = floatValue(in.get(0), at).name();
        for (int i = 1; i < in.size(); i++) {
            List<String> args = List.of(acc, floatValue(in.get(i), at).name());
            acc = i == in.size() - 1 ? g.node(op, at.label(), at.out(), args) : g.node(op, at.step(op.toLowerCase(Locale.ROOT) + i), args);
        }
        return Value.floats(acc, maxRank(in));
    }

    /** Σ aᵢbᵢ over the last axis, kept as size 1: {@code Mul}, then {@code ReduceSum} (axes −1, keepdims 1). */
    static Value dot(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        if (in.size() != 2) {
            throw new IllegalArgumentException("ONNX export: " + at.where() + ": dot takes two inputs, got " + in.size());
        }
        String product = g.node("Mul", at.step("product"), List.of(floatValue(in.get(0), at).name(), floatValue(in.get(1), at).name()));
        return Value.floats(reduceSum(product, -1, true, at.label(), at.out(), g), maxRank(in));
    }

    /**
     * The factorization machine's pairwise term of v [N, F, k], as omomi computes it:
     * ½ · Σ_k((Σ_F v)² − Σ_F v²), [N, 1]. Squares are {@code Mul}s of a tensor with itself.
     */
    static Value pairwise(LayerSpec l, List<Value> in, Scope at, OnnxGraph g) {
        String v = floats(in, at).name();
        String sum = reduceSum(v, 1, false, at.step("sum"), at.step("sum"), g);
        String sumSquared = g.node("Mul", at.step("sum_squared"), List.of(sum, sum));
        String squares = g.node("Mul", at.step("squares"), List.of(v, v));
        String squaredSum = reduceSum(squares, 1, false, at.step("squared_sum"), at.step("squared_sum"), g);
        String diff = g.node("Sub", at.step("difference"), List.of(sumSquared, squaredSum));
        String total = reduceSum(diff, 1, true, at.step("total"), at.step("total"), g);
        return Value.floats(g.node("Mul", at.label(), at.out(), List.of(total, g.scalar(0.5f))), 2);
    }

    /** {@code ReduceSum} over one axis (opset 13 on: the axes are an input tensor). */
    private static String reduceSum(String x, int axis, boolean keepDims, String name, String out, OnnxGraph g) {
        String axes = g.int64s(name + "/axes", axis);
        return g.node("ReduceSum", name, out, List.of(x, axes), intAttr("keepdims", keepDims ? 1 : 0));
    }

    // ------------------------------------------------------------------ helpers

    /** The one float input of a layer; ids reaching a layer that computes with floats is an error. */
    private static Value floats(List<Value> in, Scope at) {
        return floatValue(in.get(0), at);
    }

    private static Value floatValue(Value v, Scope at) {
        if (v.ids()) {
            throw new IllegalArgumentException("ONNX export: " + at.where() + " reads the ids '" + v.name()
                    + "' directly; ids go through an embedding first");
        }
        return v;
    }

    /** A float output of the same rank as the (first) input. */
    private static Value same(List<Value> in, String name) {
        return Value.floats(name, in.get(0).rank());
    }

    private static int maxRank(List<Value> in) {
        int r = 0;
        for (Value v : in) {
            r = Math.max(r, v.rank());
        }
        return r;
    }
}
