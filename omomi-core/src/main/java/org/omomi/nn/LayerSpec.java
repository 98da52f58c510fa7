package org.omomi.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omomi.init.Gain;
import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.Rng;

/**
 * One layer of a model file, as typed data: each kind knows how to build its {@link Module}, how to
 * write itself as JSON and what its PyTorch twin is, all in its own record. {@link LayerTypes}
 * finds the record for a JSON {@code "type"}.
 *
 * <p>Most layers take one tensor. The merges ({@link ConcatSpec}, {@link AddSpec},
 * {@link MultiplySpec}, {@link DotSpec}) take several, which is what a graph of named branches
 * needs (see {@link ModelSpec}).
 */
public sealed interface LayerSpec {

    /** The JSON {@code "type"} of this layer. */
    String type();

    /** A fresh module with its default initialization, drawn from {@code rng} in a fixed order. */
    Module build(Rng rng);

    /** The JSON form, {@code "type"} first; {@link LayerTypes#parse} reads it back. */
    Map<String, Object> toJson();

    /** The PyTorch module this layer corresponds to, as Python source, e.g. {@code nn.Linear(784, 512)}. */
    String pytorch();

    /**
     * The PyTorch expression that applies this layer, held as {@code self.NAME}, to its inputs'
     * variables. Merges override it with the tensor expression they stand for.
     */
    default String pytorchCall(String self, List<String> args) {
        return self + "(" + args.get(0) + ")";
    }

    /** Whether the PyTorch twin is a module attribute ({@code self.NAME = …}); false for pure functions. */
    default boolean pytorchModule() {
        return true;
    }

    /** Python class definitions the PyTorch twin needs (e.g. {@code BasicBlock}); empty for most layers. */
    default String pytorchDefinitions() {
        return "";
    }

    /** How many inputs this layer takes: 1, or −1 for any number ≥ 2 (the merges). */
    default int arity() {
        return 1;
    }

    // ------------------------------------------------------------------ dense and convolutional

    /**
     * {@code dense}: y = x·Wᵀ + b with W [out, in]. {@code init}: {@code torch} (PyTorch's default,
     * Kaiming-uniform with a = √5 and a bias from U(±1/√in)), {@code he} (He normal, bias 0),
     * {@code xavier} (Glorot uniform, bias 0) or {@code xavier_tanh} (Glorot with tanh's gain).
     */
    record DenseSpec(int in, int out, boolean bias, String init) implements LayerSpec {
        static final List<String> INITS = List.of("torch", "he", "xavier", "xavier_tanh");

        public DenseSpec {
            LayerFields.positive("dense", "in", in);
            LayerFields.positive("dense", "out", out);
            if (!INITS.contains(init)) {
                throw new IllegalArgumentException("dense: unknown init '" + init + "'; use torch, he, xavier or xavier_tanh");
            }
        }

        public DenseSpec(int in, int out) {
            this(in, out, true, "torch");
        }

        @Override
        public String type() {
            return "dense";
        }

        @Override
        public Module build(Rng rng) {
            Initializer w;
            switch (init) {
                case "he": w = Init.heNormal(); break;
                case "xavier": w = Init.xavierUniform(); break;
                case "xavier_tanh": w = Init.xavierUniform(Gain.tanh()); break;
                default: w = Init.torchDefaultWeight();
            }
            return new Dense(in, out, bias, rng, w, init.equals("torch") ? Init.torchDefaultBias(in) : Init.zeros());
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = LayerFields.of("dense", "in", in, "out", out, "bias", bias);
            if (!init.equals("torch")) {
                m.put("init", init);
            }
            return m;
        }

        @Override
        public String pytorch() {
            return "nn.Linear(" + in + ", " + out + (bias ? "" : ", bias=False") + ")";
        }

        static DenseSpec read(LayerFields f) {
            return new DenseSpec(f.positive("in"), f.positive("out"), f.bool("bias", true), f.string("init", "torch"));
        }
    }

    /** {@code conv2d}: a 2-D convolution over [N, C, H, W], square kernel, as {@code nn.Conv2d}. */
    record Conv2dSpec(int in, int out, int kernel, int stride, int padding, boolean bias) implements LayerSpec {
        public Conv2dSpec {
            LayerFields.positive("conv2d", "in", in);
            LayerFields.positive("conv2d", "out", out);
            LayerFields.positive("conv2d", "kernel", kernel);
            LayerFields.positive("conv2d", "stride", stride);
            if (padding < 0) {
                throw new IllegalArgumentException("conv2d: 'padding' must be ≥ 0, got " + padding);
            }
        }

        @Override
        public String type() {
            return "conv2d";
        }

        @Override
        public Module build(Rng rng) {
            return new Conv2d(in, out, kernel, stride, padding, 1, 1, bias, rng, null, null);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of("conv2d", "in", in, "out", out, "kernel", kernel, "stride", stride, "padding", padding, "bias", bias);
        }

        @Override
        public String pytorch() {
            return "nn.Conv2d(" + in + ", " + out + ", " + kernel + ", stride=" + stride + ", padding=" + padding
                    + (bias ? "" : ", bias=False") + ")";
        }

        static Conv2dSpec read(LayerFields f) {
            return new Conv2dSpec(f.positive("in"), f.positive("out"), f.positive("kernel"), f.positiveOr("stride", 1),
                    f.nonNegativeOr("padding", 0), f.bool("bias", true));
        }
    }

    /** {@code maxpool2d} / {@code avgpool2d}: pooling over k × k windows with a stride (default k). */
    record PoolSpec(boolean max, int kernel, int stride) implements LayerSpec {
        public PoolSpec {
            LayerFields.positive(max ? "maxpool2d" : "avgpool2d", "kernel", kernel);
            LayerFields.positive(max ? "maxpool2d" : "avgpool2d", "stride", stride);
        }

        @Override
        public String type() {
            return max ? "maxpool2d" : "avgpool2d";
        }

        @Override
        public Module build(Rng rng) {
            return max ? Pool2d.max(kernel, stride, 0) : Pool2d.average(kernel, stride, 0);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "kernel", kernel, "stride", stride);
        }

        @Override
        public String pytorch() {
            return (max ? "nn.MaxPool2d(" : "nn.AvgPool2d(") + kernel + ", stride=" + stride + ")";
        }

        static PoolSpec read(LayerFields f, boolean max) {
            int k = f.positive("kernel");
            return new PoolSpec(max, k, f.positiveOr("stride", k));
        }
    }

    /** {@code global_avg_pool}: [N, C, H, W] → [N, C], the mean of each channel. */
    record GlobalAvgPoolSpec() implements LayerSpec {
        @Override
        public String type() {
            return "global_avg_pool";
        }

        @Override
        public Module build(Rng rng) {
            return Pool2d.globalAverage();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())";
        }
    }

    /** {@code batchnorm1d} / {@code batchnorm2d}: batch normalization over {@code features} (channels). */
    record BatchNormSpec(int features, boolean twoD) implements LayerSpec {
        public BatchNormSpec {
            LayerFields.positive(twoD ? "batchnorm2d" : "batchnorm1d", "features", features);
        }

        @Override
        public String type() {
            return twoD ? "batchnorm2d" : "batchnorm1d";
        }

        @Override
        public Module build(Rng rng) {
            return twoD ? BatchNorm.of2d(features) : BatchNorm.of1d(features);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "features", features);
        }

        @Override
        public String pytorch() {
            return (twoD ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") + features + ")";
        }
    }

    /** {@code layernorm}: layer normalization over the last dimension of size {@code features}, as {@code nn.LayerNorm}. */
    record LayerNormSpec(int features) implements LayerSpec {
        public LayerNormSpec {
            LayerFields.positive("layernorm", "features", features);
        }

        @Override
        public String type() {
            return "layernorm";
        }

        @Override
        public Module build(Rng rng) {
            return new LayerNorm(features);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "features", features);
        }

        @Override
        public String pytorch() {
            return "nn.LayerNorm(" + features + ")";
        }
    }

    /**
     * {@code basic_block}: ResNet's basic block (two 3×3 convolutions with batch norm, a shortcut
     * with a 1×1 projection when the shape changes); {@code residual = false} drops the shortcut.
     */
    record BasicBlockSpec(int in, int out, int stride, boolean residual) implements LayerSpec {
        public BasicBlockSpec {
            LayerFields.positive("basic_block", "in", in);
            LayerFields.positive("basic_block", "out", out);
            LayerFields.positive("basic_block", "stride", stride);
        }

        @Override
        public String type() {
            return "basic_block";
        }

        @Override
        public Module build(Rng rng) {
            return new BasicBlock(in, out, stride, residual, rng);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "in", in, "out", out, "stride", stride, "residual", residual);
        }

        @Override
        public String pytorch() {
            return "BasicBlock(" + in + ", " + out + ", stride=" + stride + ", residual=" + (residual ? "True" : "False") + ")";
        }

        @Override
        public String pytorchDefinitions() {
            return ModelSpec.PYTORCH_BLOCK;
        }
    }

    /** {@code embedding}: a lookup table of {@code count} vectors of {@code dim}, N(0, std²) at first (PyTorch: std 1). */
    record EmbeddingSpec(int count, int dim, boolean sparse, double std) implements LayerSpec {
        public EmbeddingSpec {
            LayerFields.positive("embedding", "count", count);
            LayerFields.positive("embedding", "dim", dim);
            if (!(std >= 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("embedding: 'std' must be a finite number ≥ 0, got " + std);
            }
        }

        @Override
        public String type() {
            return "embedding";
        }

        @Override
        public Module build(Rng rng) {
            return new Embedding(count, dim, sparse, rng, Init.normal(0f, (float) std));
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "count", count, "dim", dim, "sparse", sparse, "std", std);
        }

        @Override
        public String pytorch() {
            return "nn.Embedding(" + count + ", " + dim + (sparse ? ", sparse=True" : "") + ")";
        }

        static EmbeddingSpec read(LayerFields f) {
            return new EmbeddingSpec(f.positive("count"), f.positive("dim"), f.bool("sparse", false), f.number("std", 1.0));
        }
    }

    /** {@code bias}: y = x + b with a learned b [features], zeros at first (the intercept of a sum of parts). */
    record BiasSpec(int features) implements LayerSpec {
        public BiasSpec {
            LayerFields.positive("bias", "features", features);
        }

        @Override
        public String type() {
            return "bias";
        }

        @Override
        public Module build(Rng rng) {
            return new Bias(features);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "features", features);
        }

        @Override
        public String pytorch() {
            return "Bias(" + features + ")";
        }

        @Override
        public String pytorchDefinitions() {
            return ModelSpec.PYTORCH_BIAS;
        }
    }

    // ------------------------------------------------------------------ shape and regularization

    /** {@code flatten}: [N, …] → [N, ∏…]. */
    record FlattenSpec() implements LayerSpec {
        @Override
        public String type() {
            return "flatten";
        }

        @Override
        public Module build(Rng rng) {
            return new Flatten();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "nn.Flatten()";
        }
    }

    /** {@code unflatten}: [N, ∏shape] → [N, shape…], e.g. 784 pixels → [1, 28, 28]. */
    record UnflattenSpec(List<Integer> shape) implements LayerSpec {
        public UnflattenSpec {
            shape = List.copyOf(shape);
            if (shape.isEmpty()) {
                throw new IllegalArgumentException("unflatten: 'shape' must list at least one dimension");
            }
            shape.forEach(d -> LayerFields.positive("unflatten", "shape", d));
        }

        @Override
        public String type() {
            return "unflatten";
        }

        @Override
        public Module build(Rng rng) {
            return new Unflatten(shape.stream().mapToInt(Integer::intValue).toArray());
        }

        @Override
        public Map<String, Object> toJson() {
            List<Object> s = new ArrayList<>();
            shape.forEach(d -> s.add((long) d));
            return LayerFields.of(type(), "shape", s);
        }

        @Override
        public String pytorch() {
            StringBuilder t = new StringBuilder("(");
            for (int i = 0; i < shape.size(); i++) {
                t.append(shape.get(i)).append(shape.size() == 1 || i < shape.size() - 1 ? ", " : "");
            }
            return "nn.Unflatten(1, " + t.toString().replaceAll(", $", ",") + "))";
        }
    }

    /** {@code dropout} / {@code dropout2d} (whole channels): zeroes with probability p while training. */
    record DropoutSpec(double p, boolean channels) implements LayerSpec {
        public DropoutSpec {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException((channels ? "dropout2d" : "dropout") + ": 'p' must be in [0, 1), got " + p);
            }
        }

        @Override
        public String type() {
            return channels ? "dropout2d" : "dropout";
        }

        @Override
        public Module build(Rng rng) {
            return channels ? Dropout.channels((float) p, rng) : new Dropout((float) p, rng);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "p", p);
        }

        @Override
        public String pytorch() {
            return (channels ? "nn.Dropout2d(" : "nn.Dropout(") + p + ")";
        }
    }

    /**
     * An activation: {@code relu}, {@code sigmoid}, {@code tanh}, {@code gelu}, {@code softplus},
     * {@code leaky_relu} (slope, default 0.01) or {@code elu} (alpha, default 1).
     */
    record ActivationSpec(String name, double parameter) implements LayerSpec {
        static final Set<String> NAMES = new TreeSet<>(List.of("relu", "sigmoid", "tanh", "gelu", "softplus", "leaky_relu", "elu"));

        public ActivationSpec {
            name = name.toLowerCase(Locale.ROOT);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown activation '" + name + "'; use one of " + NAMES);
            }
        }

        /** The activation with its default parameter. */
        public static ActivationSpec of(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return new ActivationSpec(n, n.equals("leaky_relu") ? 0.01 : n.equals("elu") ? 1.0 : 0);
        }

        @Override
        public String type() {
            return name;
        }

        @Override
        public Module build(Rng rng) {
            switch (name) {
                case "leaky_relu": return Activation.leakyRelu((float) parameter);
                case "elu": return Activation.elu((float) parameter);
                default: return Activation.named(name);
            }
        }

        @Override
        public Map<String, Object> toJson() {
            switch (name) {
                case "leaky_relu": return LayerFields.of(name, "slope", parameter);
                case "elu": return LayerFields.of(name, "alpha", parameter);
                default: return LayerFields.of(name);
            }
        }

        @Override
        public String pytorch() {
            switch (name) {
                case "relu": return "nn.ReLU()";
                case "sigmoid": return "nn.Sigmoid()";
                case "tanh": return "nn.Tanh()";
                case "gelu": return "nn.GELU()";
                case "softplus": return "nn.Softplus()";
                case "leaky_relu": return "nn.LeakyReLU(" + parameter + ")";
                default: return "nn.ELU(" + parameter + ")";
            }
        }

        static ActivationSpec read(LayerFields f) {
            String n = f.string("type", null);
            return new ActivationSpec(n, n.equals("leaky_relu") ? f.number("slope", 0.01) : n.equals("elu") ? f.number("alpha", 1.0) : 0);
        }
    }

    /** {@code sequential}: layers applied in order, as one graph node ({@code nn.Sequential}); keys {@code NAME.0.weight}, … */
    record SequentialSpec(List<LayerSpec> layers) implements LayerSpec {
        public SequentialSpec {
            layers = List.copyOf(layers);
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("sequential: 'layers' must not be empty");
            }
            for (LayerSpec l : layers) {
                if (l.arity() != 1) {
                    throw new IllegalArgumentException("sequential: '" + l.type() + "' takes several inputs and cannot be a step of a sequence");
                }
            }
        }

        @Override
        public String type() {
            return "sequential";
        }

        @Override
        public Module build(Rng rng) {
            List<Module> modules = new ArrayList<>();
            for (LayerSpec l : layers) {
                modules.add(l.build(rng));
            }
            return new Sequential(modules);
        }

        @Override
        public Map<String, Object> toJson() {
            List<Object> ls = new ArrayList<>();
            layers.forEach(l -> ls.add(l.toJson()));
            return LayerFields.of(type(), "layers", ls);
        }

        @Override
        public String pytorch() {
            List<String> parts = new ArrayList<>();
            layers.forEach(l -> parts.add(l.pytorch()));
            return "nn.Sequential(" + String.join(", ", parts) + ")";
        }

        @Override
        public String pytorchDefinitions() {
            StringBuilder sb = new StringBuilder();
            layers.stream().map(LayerSpec::pytorchDefinitions).distinct().forEach(sb::append);
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ merges (several inputs)

    /** {@code concat}: inputs joined along {@code axis} (default 1, the features), as {@code torch.cat}. */
    record ConcatSpec(int axis) implements LayerSpec {
        @Override
        public String type() {
            return "concat";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.concat(axis);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "axis", axis);
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            return "torch.cat([" + String.join(", ", args) + "], dim=" + axis + ")";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** {@code add}: the element-wise sum of the inputs (a residual connection, the parts of a logit). */
    record AddSpec() implements LayerSpec {
        @Override
        public String type() {
            return "add";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.add();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            return "(" + String.join(" + ", args) + ")";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** {@code multiply}: the element-wise product of the inputs (NCF's generalized matrix factorization). */
    record MultiplySpec() implements LayerSpec {
        @Override
        public String type() {
            return "multiply";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.multiply();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            return "(" + String.join(" * ", args) + ")";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** {@code dot}: two inputs [N, …, d] → their dot product over the last axis, [N, …, 1] (a two-tower score). */
    record DotSpec() implements LayerSpec {
        @Override
        public String type() {
            return "dot";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.dot();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            return "(" + args.get(0) + " * " + args.get(1) + ").sum(-1, keepdim=True)";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** {@code sum}: the sum over {@code axis}, keeping it as size 1 (the first-order part of a factorization machine). */
    record SumSpec(int axis) implements LayerSpec {
        @Override
        public String type() {
            return "sum";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.sum(axis);
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type(), "axis", axis);
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            return args.get(0) + ".sum(" + axis + ", keepdim=True)";
        }
    }

    /**
     * {@code pairwise_interactions}: field vectors [N, F, k] → Σ_{i<j} ⟨vᵢ, vⱼ⟩ as [N, 1], computed
     * as ½·Σ_k((Σᵢ vᵢ)² − Σᵢ vᵢ²) in O(F·k) (Rendle 2010): the second-order term of a
     * factorization machine.
     */
    record PairwiseInteractionsSpec() implements LayerSpec {
        @Override
        public String type() {
            return "pairwise_interactions";
        }

        @Override
        public Module build(Rng rng) {
            return TensorOp.pairwiseInteractions();
        }

        @Override
        public Map<String, Object> toJson() {
            return LayerFields.of(type());
        }

        @Override
        public String pytorch() {
            return "";
        }

        @Override
        public boolean pytorchModule() {
            return false;
        }

        @Override
        public String pytorchCall(String self, List<String> args) {
            String v = args.get(0);
            return "(0.5 * (" + v + ".sum(1).pow(2) - " + v + ".pow(2).sum(1)).sum(1, keepdim=True))";
        }
    }
}
