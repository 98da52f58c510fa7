package org.omomi.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.tensor.Rng;

/**
 * A network described as data, the content of {@code model.json}: a list of layers that rebuilds
 * the same {@link Sequential} (with fresh weights, to be overwritten from a weights file), and its
 * PyTorch equivalent, so a PyTorch user can load the saved weights into it.
 *
 * <pre>{"format": "omomi.model/1", "name": "mlp", "inputs": 784, "outputs": 10,
 *  "layers": [{"type": "dense", "in": 784, "out": 512, "bias": true}, {"type": "relu"}, …]}</pre>
 *
 * Layer types: {@code dense} (in, out, bias, init), {@code dropout} (p), {@code flatten},
 * {@code unflatten} (shape), {@code conv2d} (in, out, kernel, stride, padding, bias),
 * {@code maxpool2d} and {@code avgpool2d} (kernel, stride), {@code global_avg_pool},
 * {@code batchnorm1d} and {@code batchnorm2d} (features), {@code dropout2d} (p),
 * {@code basic_block} (in, out, stride, residual), and the activations {@code sigmoid},
 * {@code tanh}, {@code relu}, {@code leaky_relu} (slope), {@code elu} (alpha), {@code gelu},
 * {@code softplus}. Models with basic blocks need the Python class in {@link #PYTORCH_BLOCK}.
 */
public record ModelSpec(String name, int inputs, int outputs, List<Map<String, Object>> layers) {

    public ModelSpec {
        layers = List.copyOf(layers);
    }

    /** Logistic (softmax) regression: one dense layer from the inputs to the outputs. */
    public static ModelSpec logisticRegression(int inputs, int outputs) {
        return new ModelSpec("logreg", inputs, outputs, List.of(dense(inputs, outputs)));
    }

    /** A multi-layer perceptron: dense layers of the given widths with an activation between them. */
    public static ModelSpec mlp(int inputs, int[] hidden, String activation, int outputs) {
        Activation.named(activation); // fails early on an unknown name
        List<Map<String, Object>> layers = new ArrayList<>();
        int width = inputs;
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer widths must be positive, got " + h);
            }
            layers.add(dense(width, h));
            layers.add(Map.of("type", activation.toLowerCase(Locale.ROOT)));
            width = h;
        }
        layers.add(dense(width, outputs));
        return new ModelSpec("mlp", inputs, outputs, layers);
    }

    /**
     * Workload B3's convolutional network for 28×28 images: conv(1→32, 3×3, pad 1) ReLU maxpool2 →
     * conv(32→64, 3×3, pad 1) ReLU maxpool2 → flatten 3136 → dense 128 ReLU → dense 10.
     */
    public static ModelSpec cnn(int outputs) {
        List<Map<String, Object>> l = new ArrayList<>();
        l.add(layer("unflatten", "shape", List.of(1L, 28L, 28L)));
        l.add(conv(1, 32, 3, 1, 1, true));
        l.add(layer("relu"));
        l.add(layer("maxpool2d", "kernel", 2L, "stride", 2L));
        l.add(conv(32, 64, 3, 1, 1, true));
        l.add(layer("relu"));
        l.add(layer("maxpool2d", "kernel", 2L, "stride", 2L));
        l.add(layer("flatten"));
        l.add(dense(3136, 128));
        l.add(layer("relu"));
        l.add(dense(128, outputs));
        return new ModelSpec("cnn", 784, outputs, l);
    }

    /**
     * A small ResNet for 28×28 images: a 3×3 stem of {@code width} channels with batch norm and a
     * 2×2 max pool (28 → 14, as ResNet's ImageNet stem pools before its first stage), three stages
     * of n basic blocks with width, 2·width and 4·width channels (the second and third start with
     * stride 2: 14 → 7 → 4), global average pooling and a dense layer. depth = 6n + 2 counts the
     * weighted layers (8, 14, 20, …). Pooling first puts the network's multiply-adds into wide
     * layers at small resolutions: width 32 costs about what He et al.'s 16-channel CIFAR layout
     * costs at 28 × 28 and holds four times the weights. With {@code residual = false} the same
     * network without shortcuts: the plain twin.
     */
    /** The ResNet's first-stage width unless one is given: {@code --width}'s default. */
    public static final int RESNET_WIDTH = 32;

    public static ModelSpec resnet(int depth, int width, int outputs, boolean residual) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, …), got " + depth);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        int n = (depth - 2) / 6;
        List<Map<String, Object>> l = new ArrayList<>();
        l.add(layer("unflatten", "shape", List.of(1L, 28L, 28L)));
        l.add(conv(1, width, 3, 1, 1, false));
        l.add(layer("batchnorm2d", "features", (long) width));
        l.add(layer("relu"));
        l.add(layer("maxpool2d", "kernel", 2L, "stride", 2L));
        int in = width;
        for (int stage = 0; stage < 3; stage++) {
            int out = width << stage;
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                l.add(layer("basic_block", "in", (long) in, "out", (long) out, "stride", (long) stride, "residual", residual));
                in = out;
            }
        }
        l.add(layer("global_avg_pool"));
        l.add(dense(in, outputs));
        return new ModelSpec(residual ? "resnet" + depth : "plain" + depth, 784, outputs, l);
    }

    private static Map<String, Object> layer(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        return layer("conv2d", "in", (long) in, "out", (long) out, "kernel", (long) kernel, "stride", (long) stride,
                "padding", (long) padding, "bias", bias);
    }

    private static Map<String, Object> dense(int in, int out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "dense");
        m.put("in", (long) in);
        m.put("out", (long) out);
        m.put("bias", true);
        return m;
    }

    /** Builds the network, with PyTorch's default initialization drawn from {@code rng}. */
    public Sequential build(Rng rng) {
        List<Module> modules = new ArrayList<>();
        for (Map<String, Object> l : layers) {
            String type = String.valueOf(l.get("type"));
            switch (type) {
                case "dense":
                    int in = integer(l, "in");
                    int out = integer(l, "out");
                    boolean bias = !Boolean.FALSE.equals(l.get("bias"));
                    modules.add(new Dense(in, out, bias, rng, weightInit(l), biasInit(l, in)));
                    break;
                case "dropout":
                    modules.add(new Dropout((float) number(l, "p"), rng));
                    break;
                case "dropout2d":
                    modules.add(Dropout.channels((float) number(l, "p"), rng));
                    break;
                case "flatten":
                    modules.add(new Flatten());
                    break;
                case "unflatten":
                    modules.add(new Unflatten(shape(l)));
                    break;
                case "conv2d":
                    modules.add(new Conv2d(integer(l, "in"), integer(l, "out"), integer(l, "kernel"), opt(l, "stride", 1),
                            opt(l, "padding", 0), 1, 1, !Boolean.FALSE.equals(l.get("bias")), rng, null, null));
                    break;
                case "maxpool2d":
                    modules.add(Pool2d.max(integer(l, "kernel"), opt(l, "stride", integer(l, "kernel")), 0));
                    break;
                case "avgpool2d":
                    modules.add(Pool2d.average(integer(l, "kernel"), opt(l, "stride", integer(l, "kernel")), 0));
                    break;
                case "global_avg_pool":
                    modules.add(Pool2d.globalAverage());
                    break;
                case "batchnorm1d":
                    modules.add(BatchNorm.of1d(integer(l, "features")));
                    break;
                case "batchnorm2d":
                    modules.add(BatchNorm.of2d(integer(l, "features")));
                    break;
                case "basic_block":
                    modules.add(new BasicBlock(integer(l, "in"), integer(l, "out"), opt(l, "stride", 1),
                            !Boolean.FALSE.equals(l.get("residual")), rng));
                    break;
                case "leaky_relu":
                    modules.add(Activation.leakyRelu(l.containsKey("slope") ? (float) number(l, "slope") : 0.01f));
                    break;
                case "elu":
                    modules.add(Activation.elu(l.containsKey("alpha") ? (float) number(l, "alpha") : 1f));
                    break;
                default:
                    modules.add(Activation.named(type));
            }
        }
        return new Sequential(modules);
    }

    /** The layer's "init": "torch" (the default, PyTorch's), "he", "xavier" or "xavier_tanh". */
    private static org.omomi.init.Initializer weightInit(Map<String, Object> l) {
        String init = String.valueOf(l.getOrDefault("init", "torch"));
        switch (init) {
            case "torch": return org.omomi.init.Init.torchDefaultWeight();
            case "he": return org.omomi.init.Init.heNormal();
            case "xavier": return org.omomi.init.Init.xavierUniform();
            case "xavier_tanh": return org.omomi.init.Init.xavierUniform(org.omomi.init.Gain.tanh());
            default: throw new IllegalArgumentException("unknown init '" + init + "'; use torch, he, xavier or xavier_tanh");
        }
    }

    private static org.omomi.init.Initializer biasInit(Map<String, Object> l, int in) {
        return "torch".equals(String.valueOf(l.getOrDefault("init", "torch")))
                ? org.omomi.init.Init.torchDefaultBias(in) : org.omomi.init.Init.zeros();
    }

    private int opt(Map<String, Object> l, String key, int fallback) {
        return l.containsKey(key) ? integer(l, key) : fallback;
    }

    private int[] shape(Map<String, Object> l) {
        if (!(l.get("shape") instanceof List)) {
            throw new IllegalArgumentException("model '" + name + "': layer " + l + " needs a 'shape' list");
        }
        List<?> dims = (List<?>) l.get("shape");
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((Number) dims.get(i)).intValue();
        }
        return s;
    }

    private int integer(Map<String, Object> l, String key) {
        double v = number(l, key);
        if (v != Math.rint(v) || v < 1) {
            throw new IllegalArgumentException("model '" + name + "': layer " + l + ": '" + key + "' must be a positive whole number");
        }
        return (int) v;
    }

    private double number(Map<String, Object> l, String key) {
        Object v = l.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("model '" + name + "': layer " + l + " needs a number '" + key + "'");
        }
        return ((Number) v).doubleValue();
    }

    /** The equivalent PyTorch module, as Python source. */
    public String pytorch() {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> l : layers) {
            String type = String.valueOf(l.get("type"));
            switch (type) {
                case "dense":
                    parts.add("nn.Linear(" + integer(l, "in") + ", " + integer(l, "out")
                            + (Boolean.FALSE.equals(l.get("bias")) ? ", bias=False" : "") + ")");
                    break;
                case "dropout": parts.add("nn.Dropout(" + number(l, "p") + ")"); break;
                case "dropout2d": parts.add("nn.Dropout2d(" + number(l, "p") + ")"); break;
                case "flatten": parts.add("nn.Flatten()"); break;
                case "unflatten": {
                    int[] sh = shape(l);
                    StringBuilder t = new StringBuilder("(");
                    for (int i = 0; i < sh.length; i++) {
                        t.append(sh[i]).append(sh.length == 1 || i < sh.length - 1 ? ", " : "");
                    }
                    parts.add("nn.Unflatten(1, " + t.toString().replaceAll(", $", ",") + "))");
                    break;
                }
                case "conv2d":
                    parts.add("nn.Conv2d(" + integer(l, "in") + ", " + integer(l, "out") + ", " + integer(l, "kernel")
                            + ", stride=" + opt(l, "stride", 1) + ", padding=" + opt(l, "padding", 0)
                            + (Boolean.FALSE.equals(l.get("bias")) ? ", bias=False" : "") + ")");
                    break;
                case "maxpool2d": parts.add("nn.MaxPool2d(" + integer(l, "kernel") + ", stride=" + opt(l, "stride", integer(l, "kernel")) + ")"); break;
                case "avgpool2d": parts.add("nn.AvgPool2d(" + integer(l, "kernel") + ", stride=" + opt(l, "stride", integer(l, "kernel")) + ")"); break;
                case "global_avg_pool": parts.add("nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())"); break;
                case "batchnorm1d": parts.add("nn.BatchNorm1d(" + integer(l, "features") + ")"); break;
                case "batchnorm2d": parts.add("nn.BatchNorm2d(" + integer(l, "features") + ")"); break;
                case "basic_block":
                    parts.add("BasicBlock(" + integer(l, "in") + ", " + integer(l, "out") + ", stride=" + opt(l, "stride", 1)
                            + ", residual=" + (Boolean.FALSE.equals(l.get("residual")) ? "False" : "True") + ")");
                    break;
                case "sigmoid": parts.add("nn.Sigmoid()"); break;
                case "tanh": parts.add("nn.Tanh()"); break;
                case "relu": parts.add("nn.ReLU()"); break;
                case "leaky_relu": parts.add("nn.LeakyReLU(" + (l.containsKey("slope") ? number(l, "slope") : 0.01) + ")"); break;
                case "elu": parts.add("nn.ELU(" + (l.containsKey("alpha") ? number(l, "alpha") : 1.0) + ")"); break;
                case "gelu": parts.add("nn.GELU()"); break;
                case "softplus": parts.add("nn.Softplus()"); break;
                default: throw new IllegalArgumentException("model '" + name + "': unknown layer type '" + type + "'");
            }
        }
        return "nn.Sequential(" + String.join(", ", parts) + ")";
    }

    /** Python source of the {@code BasicBlock} that {@link #pytorch()} refers to, for models that use it. */
    public static final String PYTORCH_BLOCK = String.join("\n",
            "class BasicBlock(nn.Module):",
            "    def __init__(self, cin, cout, stride=1, residual=True):",
            "        super().__init__()",
            "        self.residual = residual",
            "        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)",
            "        self.bn1 = nn.BatchNorm2d(cout)",
            "        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)",
            "        self.bn2 = nn.BatchNorm2d(cout)",
            "        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))",
            "                           if residual and (stride != 1 or cin != cout) else None)",
            "    def forward(self, x):",
            "        h = torch.relu(self.bn1(self.conv1(x)))",
            "        h = self.bn2(self.conv2(h))",
            "        if self.residual:",
            "            h = h + (self.downsample(x) if self.downsample is not None else x)",
            "        return torch.relu(h)",
            "");

    /** The JSON-ready form (format {@code omomi.model/1}). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.model/1");
        m.put("name", name);
        m.put("inputs", (long) inputs);
        m.put("outputs", (long) outputs);
        m.put("layers", layers);
        m.put("pytorch", pytorch());
        if (layers.stream().anyMatch(l -> "basic_block".equals(l.get("type")))) {
            m.put("pytorch_definitions", PYTORCH_BLOCK);
        }
        return m;
    }

    /** Reads the JSON form; errors say what is wrong. */
    @SuppressWarnings("unchecked")
    public static ModelSpec fromJson(Map<String, Object> m) {
        if (!"omomi.model/1".equals(m.get("format"))) {
            throw new IllegalArgumentException("not an omomi.model/1 description (format " + m.get("format") + ")");
        }
        if (!(m.get("layers") instanceof List) || !(m.get("inputs") instanceof Number) || !(m.get("outputs") instanceof Number)) {
            throw new IllegalArgumentException("a model description needs 'inputs', 'outputs' and a list of 'layers'");
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Object o : (List<Object>) m.get("layers")) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("model layers must be objects, got " + o);
            }
            layers.add((Map<String, Object>) o);
        }
        ModelSpec spec = new ModelSpec(String.valueOf(m.getOrDefault("name", "model")),
                ((Number) m.get("inputs")).intValue(), ((Number) m.get("outputs")).intValue(), layers);
        spec.pytorch(); // validates every layer type
        return spec;
    }
}
