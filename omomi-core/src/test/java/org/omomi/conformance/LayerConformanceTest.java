package org.omomi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.omomi.conformance.Fixtures.assertClose;
import static org.omomi.conformance.Fixtures.floats;
import static org.omomi.conformance.Fixtures.ints;
import static org.omomi.conformance.Fixtures.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.nn.Activation;
import org.omomi.nn.BasicBlock;
import org.omomi.nn.BatchNorm;
import org.omomi.nn.Conv2d;
import org.omomi.nn.LayerNorm;
import org.omomi.nn.Pool2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Dropout;
import org.omomi.nn.Embedding;
import org.omomi.nn.Module;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Each layer's forward and backward against PyTorch. */
class LayerConformanceTest {

    private static final Map<String, Object> FIXTURE = Fixtures.load("layers.json");

    static Stream<Map<String, Object>> cases() {
        List<Map<String, Object>> out = new ArrayList<>();
        Fixtures.list(FIXTURE.get("cases")).forEach(c -> out.add(map(c)));
        return out.stream();
    }

    private static Module moduleFor(Map<String, Object> c) {
        String name = (String) c.get("name");
        switch (name) {
            case "dense": {
                Dense d = new Dense(3, 5, new Rng(0));
                Map<String, Object> params = map(c.get("params"));
                Map<String, Tensor> state = Map.of(
                        "weight", Fixtures.tensor(map(params.get("weight")), "value", "shape"),
                        "bias", Fixtures.tensor(map(params.get("bias")), "value", "shape"));
                d.loadStateDict(state);
                return d;
            }
            case "sigmoid": return Activation.sigmoid();
            case "tanh": return Activation.tanh();
            case "relu": return Activation.relu();
            case "leaky_relu": return Activation.leakyRelu((float) Fixtures.number(c.get("slope")));
            case "elu": return Activation.elu((float) Fixtures.number(c.get("alpha")));
            case "gelu": return Activation.gelu();
            case "softplus":
            case "softplus_b2_t3":
                return Activation.softplus((float) Fixtures.number(c.get("beta")), (float) Fixtures.number(c.get("threshold")));
            case "softmax": return Activation.softmax((int) Fixtures.number(c.get("axis")));
            case "log_softmax": return Activation.logSoftmax((int) Fixtures.number(c.get("axis")));
            case "conv2d":
                return withParams(new Conv2d(i(c, "in"), i(c, "out"), i(c, "kernel"), i(c, "stride"), i(c, "padding"),
                        i(c, "dilation"), i(c, "groups"), map(c.get("params")).containsKey("bias"), new Rng(0), null, null), c);
            case "maxpool2d": return Pool2d.max(i(c, "kernel"), i(c, "stride"), 0);
            case "avgpool2d": return Pool2d.average(i(c, "kernel"), i(c, "stride"), i(c, "padding"));
            case "adaptive_avgpool2d": return Pool2d.adaptiveAverage(i(c, "size"));
            case "batchnorm2d":
            case "batchnorm1d": {
                BatchNorm bn = name.equals("batchnorm2d") ? BatchNorm.of2d(i(c, "features")) : BatchNorm.of1d(i(c, "features"));
                withParams(bn, c);
                if ("eval".equals(c.get("mode"))) {
                    Map<String, Object> b = map(c.get("buffers"));
                    Map<String, Tensor> state = new java.util.LinkedHashMap<>(bn.stateDict());
                    state.put("running_mean", Tensor.vector(floats(b.get("running_mean"))));
                    state.put("running_var", Tensor.vector(floats(b.get("running_var"))));
                    state.put("num_batches_tracked", Tensor.scalar(floats(b.get("num_batches_tracked"))[0]));
                    bn.loadStateDict(state);
                    bn.eval();
                }
                return bn;
            }
            case "layernorm": return withParams(new LayerNorm(Fixtures.ints(c.get("shape"))), c);
            case "basic_block": return withParams(new BasicBlock(i(c, "in"), i(c, "out"), i(c, "stride"), true, new Rng(0)), c);
            default: throw new IllegalArgumentException("no module for fixture case " + name);
        }
    }

    private static int i(Map<String, Object> c, String key) {
        return (int) Fixtures.number(c.get(key));
    }

    /** Copies the fixture's parameter values into the module (buffers keep their defaults). */
    private static Module withParams(Module m, Map<String, Object> c) {
        Map<String, Object> params = map(c.get("params"));
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(m.stateDict());
        params.forEach((k, v) -> state.put(k, Fixtures.tensor(map(v), "value", "shape")));
        m.loadStateDict(state);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndBackwardMatchPyTorch(Map<String, Object> c) {
        String name = (String) c.get("name");
        Module m = moduleFor(c);
        Tensor x = Fixtures.tensor(c, "x", "x_shape").requiresGrad(true);
        Tensor y = m.forward(x);
        assertClose(floats(c.get("y")), y.toArray(), name + " output");
        Tensor g = Tensor.of(floats(c.get("g")), ints(c.get("y_shape")));
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(x);
        wrt.addAll(m.parameters());
        Tensor[] grads = Autograd.vjp(y, g, wrt.toArray(new Tensor[0]));
        assertClose(floats(c.get("dx")), grads[0].toArray(), name + " input gradient");
        if (c.containsKey("params")) {
            Map<String, Object> params = map(c.get("params"));
            assertEquals(params.keySet(), m.namedParameters().keySet(), name + ": parameter names");
            int i = 1;
            for (String key : m.namedParameters().keySet()) {
                assertClose(floats(map(params.get(key)).get("grad")), grads[i++].toArray(), name + " " + key + " gradient");
            }
        }
        if (c.containsKey("buffers_after")) {
            // Training mode moved the running statistics exactly as PyTorch's did.
            Map<String, Object> after = map(c.get("buffers_after"));
            Map<String, Tensor> state = m.stateDict();
            after.forEach((k, v) -> assertClose(floats(v), state.get(k).toArray(), name + " " + k + " after one training step"));
        }
        if (c.containsKey("keys")) {
            assertEquals(Fixtures.list(c.get("keys")), new ArrayList<Object>(m.stateDict().keySet()), name + ": state-dict keys");
        }
    }

    @Test
    void embeddingMatchesPyTorch() {
        Map<String, Object> e = map(FIXTURE.get("embedding"));
        Embedding emb = new Embedding(6, 3, new Rng(0));
        emb.loadStateDict(Map.of("weight", Tensor.of(floats(e.get("weight")), 6, 3)));
        Tensor y = emb.forward(Tensor.of(floats(e.get("indices")), ints(e.get("indices_shape"))));
        assertClose(floats(e.get("y")), y.toArray(), "embedding output");
        Tensor[] g = Autograd.vjp(y, Tensor.of(floats(e.get("g")), ints(e.get("y_shape"))), emb.weight());
        assertClose(floats(e.get("dweight")), g[0].toArray(), "embedding weight gradient");
    }

    @Test
    void sequentialHasPyTorchsStateDictKeys() {
        Rng rng = new Rng(1);
        Sequential seq = new Sequential(new Dense(3, 4, rng), Activation.relu(), new Dense(4, 2, rng),
                new Dropout(0.5f, rng), new Dense(2, 1, rng));
        assertEquals(Fixtures.list(FIXTURE.get("sequential_keys")), new ArrayList<Object>(seq.stateDict().keySet()));
        assertEquals((long) Fixtures.number(FIXTURE.get("sequential_parameter_count")), seq.parameterCount());
    }
}
