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
            default: throw new IllegalArgumentException("no module for fixture case " + name);
        }
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
            int i = 1;
            for (String key : m.namedParameters().keySet()) {
                assertClose(floats(map(params.get(key)).get("grad")), grads[i++].toArray(), name + " " + key + " gradient");
            }
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
