package org.omomi.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.BasicBlockSpec;
import org.omomi.nn.LayerSpec.BatchNormSpec;
import org.omomi.nn.LayerSpec.Conv2dSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.GlobalAvgPoolSpec;
import org.omomi.nn.LayerSpec.PoolSpec;
import org.omomi.nn.LayerSpec.UnflattenSpec;
import org.omomi.tensor.Rng;

/**
 * A network described as data, the content of {@code model.json}: its named inputs, and either a
 * list of layers (a {@link Sequential}, keys {@code 0.weight}, …) or a graph of named nodes (a
 * {@link Graph}, keys {@code NODE.weight}, …); building it gives the same network with fresh
 * weights, to be overwritten from a weights file. Its PyTorch twin ({@link #pytorch()}) takes the
 * saved weights with {@code load_state_dict} as they are.
 *
 * <pre>{"format": "omomi.model/2", "name": "mlp", "outputs": 10,
 *  "inputs": [{"name": "x", "kind": "float", "shape": [784]}],
 *  "layers": [{"type": "dense", "in": 784, "out": 512, "bias": true}, {"type": "relu"}, …]}
 *
 * {"format": "omomi.model/2", "name": "two_tower", "outputs": 1,
 *  "inputs": [{"name": "user", "kind": "ids", "shape": []}, {"name": "item", "kind": "ids", "shape": []}],
 *  "nodes": [{"name": "user_vec", "from": ["user"], "layer": {"type": "embedding", "count": 1000, "dim": 16}},
 *            {"name": "item_vec", "from": ["item"], "layer": {"type": "embedding", "count": 500, "dim": 16}},
 *            {"name": "score", "from": ["user_vec", "item_vec"], "layer": {"type": "dot"}}],
 *  "output": "score"}</pre>
 *
 * Layer types are those of {@link LayerTypes}. Files of the first format, {@code omomi.model/1}
 * ({@code "inputs": 784}, a layer list), still load: their one input becomes {@code x}.
 *
 * @param inputs  each input's name, kind and per-example shape (a float vector [784], ids [26] or
 *                one id per example [])
 * @param outputs the width of the output (classes, 1 for a logit or a score)
 * @param layers  the layers of a sequential model, or empty for a graph
 * @param nodes   the nodes of a graph, or empty for a sequential model
 * @param output  the graph's output node, or null
 */
public record ModelSpec(String name, List<InputSpec> inputs, int outputs, List<LayerSpec> layers, List<NodeSpec> nodes,
                        String output) {

    /** The current model-file format. */
    public static final String FORMAT = "omomi.model/2";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The most values one example of an input may have (2²², a 3 × 1182 × 1182 image): a model is
     * run on one example of zeros when it opens, so a model.json claiming 10⁹ must be refused, not
     * allocated.
     */
    public static final int MAX_EXAMPLE_VALUES = 1 << 22;

    /** One named input: floats or ids, and the shape of one example (the batch dimension left out). */
    public record InputSpec(String name, boolean ids, List<Integer> shape) {
        public InputSpec {
            shape = List.copyOf(shape);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("input name '" + name + "' must be an identifier (letters, digits, _)");
            }
            long values = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("input '" + name + "': shape " + org.omomi.io.JsonFields.describe(shape) + " has a size below 1");
                }
                values = Math.min(values * d, Long.MAX_VALUE / Integer.MAX_VALUE);
            }
            if (values > MAX_EXAMPLE_VALUES) {
                throw new IllegalArgumentException("input '" + name + "': an example of shape " + org.omomi.io.JsonFields.describe(shape)
                        + " has more than the " + MAX_EXAMPLE_VALUES + " values omomi reads");
            }
        }

        /** A float vector of {@code width} values per example. */
        public static InputSpec floats(String name, int width) {
            return new InputSpec(name, false, List.of(width));
        }

        /** {@code fields} ids per example ([N, fields]), or one id per example ([N]) when 0. */
        public static InputSpec ids(String name, int fields) {
            return new InputSpec(name, true, fields == 0 ? List.of() : List.of(fields));
        }

        /** Values per example: the product of the shape. */
        public int width() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("kind", ids ? "ids" : "float");
            List<Object> s = new ArrayList<>();
            shape.forEach(d -> s.add((long) d));
            m.put("shape", s);
            return m;
        }
    }

    /** One node of a graph: a layer applied to named inputs or earlier nodes. */
    public record NodeSpec(String name, LayerSpec layer, List<String> from) {
        public NodeSpec {
            from = List.copyOf(from);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("node name '" + name + "' must be an identifier (letters, digits, _)");
            }
            if (from.isEmpty()) {
                throw new IllegalArgumentException("node '" + name + "' reads nothing; give 'from'");
            }
            if (layer.arity() == 1 && from.size() != 1) {
                throw new IllegalArgumentException("node '" + name + "': " + layer.type() + " takes one input, 'from' lists " + from);
            }
            if (layer.arity() == -1 && from.size() < 2) {
                throw new IllegalArgumentException("node '" + name + "': " + layer.type() + " joins two or more inputs, 'from' lists " + from);
            }
        }

        public NodeSpec(String name, LayerSpec layer, String... from) {
            this(name, layer, List.of(from));
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("from", new ArrayList<Object>(from));
            m.put("layer", layer.toJson());
            return m;
        }
    }

    public ModelSpec {
        inputs = List.copyOf(inputs);
        layers = List.copyOf(layers);
        nodes = List.copyOf(nodes);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "': no inputs");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("model '" + name + "': outputs must be positive, got " + outputs);
        }
        if (layers.isEmpty() == nodes.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "': give either 'layers' (a sequence) or 'nodes' (a graph)");
        }
        Set<String> known = new HashSet<>();
        for (InputSpec in : inputs) {
            if (!known.add(in.name())) {
                throw new IllegalArgumentException("model '" + name + "': input '" + in.name() + "' is declared twice");
            }
        }
        if (!layers.isEmpty()) {
            if (inputs.size() != 1 || inputs.get(0).ids()) {
                throw new IllegalArgumentException("model '" + name + "': a layer sequence takes one float input; use 'nodes' for " + inputs.size() + " inputs or ids");
            }
            for (LayerSpec l : layers) {
                if (l.arity() != 1) {
                    throw new IllegalArgumentException("model '" + name + "': '" + l.type() + "' joins several inputs; use 'nodes'");
                }
            }
            if (output != null) {
                throw new IllegalArgumentException("model '" + name + "': 'output' names a node of a graph; a sequence has none");
            }
        } else {
            for (NodeSpec n : nodes) {
                for (String f : n.from()) {
                    if (!known.contains(f)) {
                        throw new IllegalArgumentException("model '" + name + "': node '" + n.name() + "' reads '" + f
                                + "', which is not an input or an earlier node");
                    }
                }
                if (!known.add(n.name())) {
                    throw new IllegalArgumentException("model '" + name + "': the name '" + n.name() + "' is used twice");
                }
            }
            if (output == null || nodes.stream().noneMatch(n -> n.name().equals(output))) {
                throw new IllegalArgumentException("model '" + name + "': 'output' must name a node, got " + output);
            }
        }
    }

    /** A sequence of layers over one float input {@code x} of {@code inputs} values. */
    public static ModelSpec sequential(String name, int inputs, int outputs, List<LayerSpec> layers) {
        return new ModelSpec(name, List.of(InputSpec.floats("x", inputs)), outputs, layers, List.of(), null);
    }

    /** A graph of named nodes. */
    public static ModelSpec graph(String name, List<InputSpec> inputs, int outputs, List<NodeSpec> nodes, String output) {
        return new ModelSpec(name, inputs, outputs, List.of(), nodes, output);
    }

    /** Whether this is a layer sequence (else a graph). */
    public boolean isSequential() {
        return !layers.isEmpty();
    }

    /** The number of values of the one float input of a sequential model. */
    public int inputWidth() {
        if (inputs.size() != 1) {
            throw new IllegalStateException("model '" + name + "' has the inputs " + inputs.stream().map(InputSpec::name).toList());
        }
        return inputs.get(0).width();
    }

    /**
     * One example of every input in its declared shape, zeros (id 0 for ids): what a model is run
     * on to find out whether its layers fit together before it meets real data.
     */
    public org.omomi.tensor.Inputs zeroExample() {
        org.omomi.tensor.Inputs in = null;
        for (InputSpec i : inputs) {
            int[] shape = new int[i.shape().size() + 1];
            shape[0] = 1;
            for (int k = 0; k < i.shape().size(); k++) {
                shape[k + 1] = i.shape().get(k);
            }
            if (i.ids()) {
                org.omomi.tensor.IntTensor ids = org.omomi.tensor.IntTensor.of(new int[i.width()], shape);
                in = in == null ? org.omomi.tensor.Inputs.of(i.name(), ids) : in.with(i.name(), ids);
            } else {
                org.omomi.tensor.Tensor x = org.omomi.tensor.Tensor.zeros(shape);
                in = in == null ? org.omomi.tensor.Inputs.of(i.name(), x) : in.with(i.name(), x);
            }
        }
        return in;
    }

    // ------------------------------------------------------------------ built-in architectures

    /** Logistic (softmax) regression: one dense layer from the inputs to the outputs. */
    public static ModelSpec logisticRegression(int inputs, int outputs) {
        return sequential("logreg", inputs, outputs, List.of(new DenseSpec(inputs, outputs)));
    }

    /** A multi-layer perceptron: dense layers of the given widths with an activation between them. */
    public static ModelSpec mlp(int inputs, int[] hidden, String activation, int outputs) {
        List<LayerSpec> layers = new ArrayList<>();
        int width = inputs;
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer widths must be positive, got " + h);
            }
            layers.add(new DenseSpec(width, h));
            layers.add(ActivationSpec.of(activation));
            width = h;
        }
        layers.add(new DenseSpec(width, outputs));
        return sequential("mlp", inputs, outputs, layers);
    }

    /**
     * Workload B3's convolutional network for images of {@code image} = {channels, height, width}
     * given as flat rows: conv(C→32, 3×3, pad 1) ReLU maxpool2 → conv(32→64, 3×3, pad 1) ReLU
     * maxpool2 → flatten → dense 128 ReLU → dense outputs. For 28×28 images the flattened width is
     * 64·7·7 = 3136.
     */
    public static ModelSpec cnn(int[] image, int outputs) {
        checkImage(image);
        int flat = 64 * (image[1] / 2 / 2) * (image[2] / 2 / 2);
        if (flat == 0) {
            throw new IllegalArgumentException("cnn: images of " + image[1] + "×" + image[2] + " are too small for two 2×2 poolings");
        }
        List<LayerSpec> l = new ArrayList<>();
        l.add(new UnflattenSpec(List.of(image[0], image[1], image[2])));
        l.add(new Conv2dSpec(image[0], 32, 3, 1, 1, true));
        l.add(ActivationSpec.of("relu"));
        l.add(new PoolSpec(true, 2, 2));
        l.add(new Conv2dSpec(32, 64, 3, 1, 1, true));
        l.add(ActivationSpec.of("relu"));
        l.add(new PoolSpec(true, 2, 2));
        l.add(new FlattenSpec());
        l.add(new DenseSpec(flat, 128));
        l.add(ActivationSpec.of("relu"));
        l.add(new DenseSpec(128, outputs));
        return sequential("cnn", image[0] * image[1] * image[2], outputs, l);
    }

    /** The ResNet's first-stage width unless one is given: {@code --width}'s default. */
    public static final int RESNET_WIDTH = 32;

    /**
     * A small ResNet for images of {@code image} = {channels, height, width} given as flat rows: a
     * 3×3 stem of {@code width} channels with batch norm and a 2×2 max pool (28 → 14, as ResNet's
     * ImageNet stem pools before its first stage), three stages of n basic blocks with width,
     * 2·width and 4·width channels (the second and third start with stride 2: 14 → 7 → 4), global
     * average pooling and a dense layer. depth = 6n + 2 counts the weighted layers (8, 14, 20, …).
     * Pooling first puts the network's multiply-adds into wide layers at small resolutions: width
     * 32 costs about what He et al.'s 16-channel CIFAR layout costs at 28 × 28 and holds four
     * times the weights. With {@code residual = false} the same network without shortcuts: the
     * plain twin.
     */
    public static ModelSpec resnet(int depth, int width, int[] image, int outputs, boolean residual) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, …), got " + depth);
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        checkImage(image);
        int n = (depth - 2) / 6;
        List<LayerSpec> l = new ArrayList<>();
        l.add(new UnflattenSpec(List.of(image[0], image[1], image[2])));
        l.add(new Conv2dSpec(image[0], width, 3, 1, 1, false));
        l.add(new BatchNormSpec(width, true));
        l.add(ActivationSpec.of("relu"));
        l.add(new PoolSpec(true, 2, 2));
        int in = width;
        for (int stage = 0; stage < 3; stage++) {
            int out = width << stage;
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                l.add(new BasicBlockSpec(in, out, stride, residual));
                in = out;
            }
        }
        l.add(new GlobalAvgPoolSpec());
        l.add(new DenseSpec(in, outputs));
        return sequential(residual ? "resnet" + depth : "plain" + depth, image[0] * image[1] * image[2], outputs, l);
    }

    private static void checkImage(int[] image) {
        if (image.length != 3 || image[0] < 1 || image[1] < 2 || image[2] < 2) {
            throw new IllegalArgumentException("an image shape is {channels, height, width}, got " + java.util.Arrays.toString(image));
        }
    }

    // ------------------------------------------------------------------ building

    /** Builds the network, with each layer's default initialization drawn from {@code rng} in layer order. */
    public Module build(Rng rng) {
        if (isSequential()) {
            List<Module> modules = new ArrayList<>();
            for (LayerSpec l : layers) {
                modules.add(l.build(rng));
            }
            return new Sequential(modules);
        }
        List<Module> modules = new ArrayList<>();
        List<Graph.Node> graph = new ArrayList<>();
        for (NodeSpec n : nodes) {
            modules.add(n.layer().build(rng));
            graph.add(new Graph.Node(n.name(), n.from()));
        }
        return new Graph(inputs.stream().map(InputSpec::name).toList(), graph, modules, output);
    }

    /**
     * A lower bound on the parameters {@link #build} allocates (the weight matrices, kernels and
     * tables; biases and scales not all counted), computed without building: a reader compares it
     * with the weights a file holds before believing a description of a billion-parameter layer.
     * Saturates at {@code Long.MAX_VALUE}.
     */
    public long leastParameters() {
        long n = 0;
        for (LayerSpec l : layers) {
            n = saturatedAdd(n, leastParameters(l));
        }
        for (NodeSpec node : nodes) {
            n = saturatedAdd(n, leastParameters(node.layer()));
        }
        return n;
    }

    private static long leastParameters(LayerSpec l) {
        if (l instanceof LayerSpec.DenseSpec d) {
            return (long) d.in() * d.out();
        }
        if (l instanceof LayerSpec.EmbeddingSpec e) {
            return (long) e.count() * e.dim();
        }
        if (l instanceof LayerSpec.Conv2dSpec c) {
            return saturatedTimes((long) c.in() * c.out(), (long) c.kernel() * c.kernel()); // ints: each product fits a long
        }
        if (l instanceof LayerSpec.BasicBlockSpec b) {
            return (long) b.in() * b.out();
        }
        if (l instanceof LayerSpec.BatchNormSpec b) {
            return b.features();
        }
        if (l instanceof LayerSpec.LayerNormSpec b) {
            return b.features();
        }
        if (l instanceof LayerSpec.BiasSpec b) {
            return b.features();
        }
        if (l instanceof LayerSpec.SequentialSpec s) {
            long n = 0;
            for (LayerSpec inner : s.layers()) {
                n = saturatedAdd(n, leastParameters(inner));
            }
            return n;
        }
        return 0;
    }

    private static long saturatedTimes(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static long saturatedAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    // ------------------------------------------------------------------ PyTorch

    /** The equivalent PyTorch module, as a Python expression (with {@link #pytorchDefinitions()} in scope). */
    public String pytorch() {
        if (isSequential()) {
            List<String> parts = new ArrayList<>();
            layers.forEach(l -> parts.add(l.pytorch()));
            return "nn.Sequential(" + String.join(", ", parts) + ")";
        }
        return "Model()";
    }

    /** Python class definitions the {@link #pytorch()} expression needs; empty when none. */
    public String pytorchDefinitions() {
        Set<String> defs = new LinkedHashSet<>();
        (isSequential() ? layers : nodes.stream().map(NodeSpec::layer).toList()).forEach(l -> {
            if (!l.pytorchDefinitions().isEmpty()) {
                defs.add(l.pytorchDefinitions());
            }
        });
        StringBuilder sb = new StringBuilder();
        defs.forEach(sb::append);
        if (!isSequential()) {
            sb.append("class Model(nn.Module):\n");
            sb.append("    def __init__(self):\n");
            sb.append("        super().__init__()\n");
            for (NodeSpec n : nodes) {
                if (n.layer().pytorchModule()) {
                    sb.append("        self.").append(n.name()).append(" = ").append(n.layer().pytorch()).append('\n');
                }
            }
            sb.append("    def forward(self, ").append(String.join(", ", inputs.stream().map(InputSpec::name).toList())).append("):\n");
            for (NodeSpec n : nodes) {
                sb.append("        ").append(n.name()).append(" = ").append(n.layer().pytorchCall("self." + n.name(), n.from())).append('\n');
            }
            sb.append("        return ").append(output).append('\n');
        }
        return sb.toString();
    }

    /** Python source of the {@code BasicBlock} that ResNets' {@link #pytorch()} refers to. */
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


    // ------------------------------------------------------------------ JSON

    /** The JSON form (format {@value #FORMAT}), with the PyTorch twin beside it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("name", name);
        List<Object> ins = new ArrayList<>();
        inputs.forEach(i -> ins.add(i.toJson()));
        m.put("inputs", ins);
        m.put("outputs", (long) outputs);
        if (isSequential()) {
            List<Object> ls = new ArrayList<>();
            layers.forEach(l -> ls.add(l.toJson()));
            m.put("layers", ls);
        } else {
            List<Object> ns = new ArrayList<>();
            nodes.forEach(n -> ns.add(n.toJson()));
            m.put("nodes", ns);
            m.put("output", output);
        }
        m.put("pytorch", pytorch());
        String defs = pytorchDefinitions();
        if (!defs.isEmpty()) {
            m.put("pytorch_definitions", defs);
        }
        return m;
    }

    /**
     * Reads the JSON form, {@code omomi.model/2} or the first format, {@code omomi.model/1}, whose
     * one input ({@code "inputs": N}) becomes a float input {@code x} of N values. Errors say what
     * is wrong and where.
     */
    public static ModelSpec fromJson(Map<String, Object> m) {
        try {
            return read(m);
        } catch (IllegalArgumentException e) {
            // Names from the file appear in the messages: keep them to one line whatever they hold.
            String msg = String.valueOf(e.getMessage()).replace("\n", "\\n").replace("\r", "\\r");
            throw new IllegalArgumentException(msg.length() > 500 ? msg.substring(0, 500) + "…" : msg, e);
        }
    }

    private static ModelSpec read(Map<String, Object> m) {
        Object format = m.get("format");
        String name = m.get("name") instanceof String s ? s : "model";
        if (!(m.get("outputs") instanceof Number outputs)) {
            throw new IllegalArgumentException("a model description needs a number 'outputs'");
        }
        if ("omomi.model/1".equals(format)) {
            if (!(m.get("layers") instanceof List<?> layers) || !(m.get("inputs") instanceof Number inputs)) {
                throw new IllegalArgumentException("a model description needs 'inputs', 'outputs' and a list of 'layers'");
            }
            return sequential(name, inputs.intValue(), outputs.intValue(), LayerTypes.parseAll(layers));
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not an omomi model description (format " + org.omomi.io.JsonFields.describe(format) + "; expected " + FORMAT + ")");
        }
        if (!(m.get("inputs") instanceof List<?> ins)) {
            throw new IllegalArgumentException("a model description needs a list of 'inputs'");
        }
        List<InputSpec> inputs = new ArrayList<>();
        for (Object o : ins) {
            Map<String, Object> i = LayerTypes.object(o);
            if (!(i.get("name") instanceof String n) || !(i.get("shape") instanceof List<?> shape)
                    || !("float".equals(i.get("kind")) || "ids".equals(i.get("kind")))) {
                throw new IllegalArgumentException("input " + org.omomi.io.JsonFields.describe(i) + " needs a 'name', a 'kind' (float or ids) and a 'shape' list");
            }
            List<Integer> s = new ArrayList<>();
            for (Object d : shape) {
                if (!(d instanceof Number dn) || dn.doubleValue() < 1 || dn.doubleValue() != Math.rint(dn.doubleValue())) {
                    throw new IllegalArgumentException("input " + org.omomi.io.JsonFields.describe(i) + ": 'shape' must list positive whole numbers");
                }
                s.add(dn.intValue());
            }
            inputs.add(new InputSpec(n, "ids".equals(i.get("kind")), s));
        }
        if (m.get("layers") instanceof List<?> layers) {
            return new ModelSpec(name, inputs, outputs.intValue(), LayerTypes.parseAll(layers), List.of(), null);
        }
        if (!(m.get("nodes") instanceof List<?> ns)) {
            throw new IllegalArgumentException("a model description needs 'layers' or 'nodes'");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        for (Object o : ns) {
            Map<String, Object> n = LayerTypes.object(o);
            if (!(n.get("name") instanceof String nodeName) || !(n.get("from") instanceof List<?> from)) {
                throw new IllegalArgumentException("node " + org.omomi.io.JsonFields.describe(n) + " needs a 'name' and a 'from' list");
            }
            nodes.add(new NodeSpec(nodeName, LayerTypes.parse(n.get("layer")), from.stream().map(String::valueOf).toList()));
        }
        return new ModelSpec(name, inputs, outputs.intValue(), List.of(), nodes, m.get("output") instanceof String out ? out : null);
    }
}
