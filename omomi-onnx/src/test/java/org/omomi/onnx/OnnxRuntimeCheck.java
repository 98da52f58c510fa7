package org.omomi.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.nn.BatchNorm;
import org.omomi.nn.Bias;
import org.omomi.nn.LayerNorm;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.nn.ModelSpec.NodeSpec;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Runs exported models in ONNX Runtime and compares them with omomi: the outputs of both on the
 * same inputs must agree within {@link #TOLERANCE} (relative to the value where it exceeds 1).
 */
final class OnnxRuntimeCheck {

    /** |onnx − omomi| ≤ 1e-5 · max(1, |omomi|). */
    static final double TOLERANCE = 1e-5;

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OnnxRuntimeCheck() {}

    /** A model with these seeded weights, batch norm statistics and scales drawn too, so that eval-mode batch norm is not the identity. */
    static Module seeded(ModelSpec spec, long seed) {
        Rng rng = new Rng(seed);
        Module m = spec.build(rng);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            m.namedModules().forEach((name, module) -> {
                if (module instanceof BatchNorm || module instanceof LayerNorm) {
                    module.stateDict().forEach((k, t) -> {
                        int[] s = t.shape();
                        if (k.equals("num_batches_tracked")) {
                            t.fill(3f);
                        } else if (k.equals("running_var") || k.equals("weight")) {
                            t.copyFrom(Tensor.rand(rng, s).mul(1.5f).add(0.5f)); // U(0.5, 2)
                        } else {
                            t.copyFrom(Tensor.randn(rng, s).mul(0.3f));
                        }
                    });
                } else if (module instanceof Bias b) { // zero at first: an offset of zero would test nothing
                    b.bias().copyFrom(Tensor.randn(rng, b.bias().shape()));
                }
            });
        }
        return m.eval();
    }

    /** An ONNX Runtime session on one thread. */
    static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            return ENV.createSession(model, o);
        }
    }

    /** Every output of the session for these inputs, by name, as float arrays with their shapes. */
    static Map<String, Tensor> run(OrtSession session, Inputs inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String name : inputs.names()) {
                if (inputs.isIds(name)) {
                    IntTensor ids = inputs.ids(name);
                    long[] v = Arrays.stream(ids.toArray()).asLongStream().toArray();
                    feeds.put(name, OnnxTensor.createTensor(ENV, LongBuffer.wrap(v), longs(ids.shape())));
                } else {
                    Tensor x = inputs.tensor(name);
                    feeds.put(name, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x.toArray()), longs(x.shape())));
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    long[] shape = t.getInfo().getShape();
                    out.put(e.getKey(), Tensor.of(v, Arrays.stream(shape).mapToInt(d -> (int) d).toArray()));
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Asserts the two tensors have the same shape and agree within the tolerance. */
    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            assertTrue(Float.isFinite(e[i]), what + ": omomi's value " + i + " is " + e[i]);
            double d = Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i]));
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " at " + at + " (omomi " + (at < 0 ? "" : e[at])
                + ", onnx " + (at < 0 ? "" : a[at]) + ")");
    }

    /** Random inputs for a model: N(0, scale²) floats, and ids below the smallest table each id input reaches. */
    static Inputs randomInputs(ModelSpec spec, int batch, Rng rng, float scale) {
        Inputs in = null;
        for (InputSpec i : spec.inputs()) {
            int[] shape = new int[i.shape().size() + 1];
            shape[0] = batch;
            for (int k = 0; k < i.shape().size(); k++) {
                shape[k + 1] = i.shape().get(k);
            }
            int n = batch * i.width();
            if (i.ids()) {
                int count = idRange(spec, i.name());
                int[] v = new int[n];
                for (int k = 0; k < n; k++) {
                    v[k] = rng.nextInt(count);
                }
                IntTensor ids = IntTensor.of(v, shape);
                in = in == null ? Inputs.of(i.name(), ids) : in.with(i.name(), ids);
            } else {
                Tensor x = Tensor.randn(rng, shape).mul(scale);
                in = in == null ? Inputs.of(i.name(), x) : in.with(i.name(), x);
            }
        }
        return in;
    }

    /** The smallest embedding table an id input feeds (directly, or as the first layer of a sequence). */
    static int idRange(ModelSpec spec, String input) {
        int count = Integer.MAX_VALUE;
        for (NodeSpec n : spec.nodes()) {
            if (n.from().contains(input)) {
                LayerSpec l = n.layer();
                while (l instanceof SequentialSpec s) {
                    l = s.layers().get(0);
                }
                if (l instanceof EmbeddingSpec e) {
                    count = Math.min(count, e.count());
                }
            }
        }
        if (count == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("no embedding reads the ids '" + input + "'");
        }
        return count;
    }

    /**
     * Exports {@code saved}, runs it in ONNX Runtime at batch sizes 1 and 7 on random inputs, and
     * compares logits (or outputs) and probabilities with omomi's {@link Predictor}; {@code omomiInputs}
     * turns the inputs ONNX takes into what the omomi model takes (the preprocessing), or null.
     */
    static byte[] assertParity(SavedModel saved, long seed, float scale, java.util.function.UnaryOperator<Inputs> omomiInputs)
            throws OrtException {
        byte[] onnx = new OnnxExport().toBytes(saved);
        Predictor predictor = saved.predictor();
        try (OrtSession s = session(onnx)) {
            assertDynamicBatch(s, saved.spec());
            Rng rng = new Rng(seed);
            for (int batch : new int[] {1, 7}) {
                Inputs in = randomInputs(saved.spec(), batch, rng, scale);
                Map<String, Tensor> got = run(s, in);
                Predictor.Prediction p = predictor.predict(omomiInputs == null ? in : omomiInputs.apply(in));
                String name = saved.spec().name() + " at batch " + batch;
                boolean regression = saved.head().kind() == org.omomi.train.Head.Kind.REGRESSION;
                assertClose(p.outputs(), got.get(regression ? "output" : "logits"), name + ", " + (regression ? "output" : "logits"));
                if (!regression) {
                    Tensor probs = got.get("probabilities");
                    if (saved.head().kind() == org.omomi.train.Head.Kind.BINARY) {
                        probs = probs.reshape(batch); // [N, 1] in ONNX, [N] in omomi's prediction
                    }
                    assertClose(p.probabilities(), probs, name + ", probabilities");
                }
            }
        }
        return onnx;
    }

    /** Every input and output has a free first dimension (the batch) and the model's fixed dimensions after it. */
    static void assertDynamicBatch(OrtSession s, ModelSpec spec) throws OrtException {
        Map<String, NodeInfo> inputs = s.getInputInfo();
        assertEquals(spec.inputs().stream().map(InputSpec::name).toList(), new ArrayList<>(inputs.keySet()), "input names");
        for (InputSpec i : spec.inputs()) {
            long[] shape = ((TensorInfo) inputs.get(i.name()).getInfo()).getShape();
            List<Long> expected = new ArrayList<>(List.of(-1L));
            i.shape().forEach(d -> expected.add((long) d));
            assertEquals(expected, Arrays.stream(shape).boxed().toList(), "input " + i.name());
        }
        for (NodeInfo o : s.getOutputInfo().values()) {
            assertEquals(-1L, ((TensorInfo) o.getInfo()).getShape()[0], "output " + o.getName() + " has a free batch dimension");
        }
    }

    private static long[] longs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
