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
 * Layer types: {@code dense} (in, out, bias), {@code dropout} (p), {@code flatten}, and the
 * activations {@code sigmoid}, {@code tanh}, {@code relu}, {@code leaky_relu} (slope),
 * {@code elu} (alpha), {@code gelu}, {@code softplus}.
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
                case "flatten":
                    modules.add(new Flatten());
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
                case "flatten": parts.add("nn.Flatten()"); break;
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

    /** The JSON-ready form (format {@code omomi.model/1}). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.model/1");
        m.put("name", name);
        m.put("inputs", (long) inputs);
        m.put("outputs", (long) outputs);
        m.put("layers", layers);
        m.put("pytorch", pytorch());
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
