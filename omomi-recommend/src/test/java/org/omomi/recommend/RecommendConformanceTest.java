package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.data.Batch;
import org.omomi.io.Json;
import org.omomi.nn.Module;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Objective;
import org.omomi.train.TrainStep;

/**
 * The model graphs, the objectives (BPR, squared error), the L2 on looked-up rows and SparseAdam
 * step for step against PyTorch: conformance/recommend_fixtures.py trained the same small models
 * from the same weights on the same batches; every step's loss and the final weights agree within
 * 1e-5.
 */
class RecommendConformanceTest {

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() throws IOException {
        try (InputStream in = RecommendConformanceTest.class.getResourceAsStream("torch_steps.json")) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((List<Object>) m.get("cases")).stream().map(c -> (Map<String, Object>) c);
        }
    }

    private static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).floatValue();
        }
        return out;
    }

    private static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }

    private static int num(Map<String, Object> c, String k) {
        return ((Number) c.get(k)).intValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void stepsMatchPyTorch(Map<String, Object> c) {
        ModelKind kind = ModelKind.parse((String) c.get("kind"));
        int users = num(c, "users");
        int items = num(c, "items");
        int batch = num(c, "batch");
        int width = num(c, "width");
        Module model = kind.spec(users, items, num(c, "dim"), 1, 0.1).build(new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        ((Map<String, Object>) c.get("initial")).forEach((k, v) -> state.put(k, Tensor.of(floats(v), state.get(k).shape())));
        model.loadStateDict(state);
        double l2 = ((Number) c.get("l2")).doubleValue();
        RowL2 rows = new RowL2(model, kind.tables(), l2);
        Objective objective = kind.rating() ? new RatingObjective(rows) : new BprObjective(rows);
        Training.Options o = Training.Options.defaults(kind).withLr(((Number) c.get("lr")).doubleValue());
        TrainStep step = new TrainStep(model, objective, Training.optimizer(model, o), 0);
        List<Object> steps = (List<Object>) c.get("steps");
        List<Object> losses = (List<Object>) c.get("losses");
        for (int t = 0; t < steps.size(); t++) {
            Map<String, Object> s = (Map<String, Object>) steps.get(t);
            Inputs in = Inputs.of("user", IntTensor.of(ints(s.get("user")), batch, 1))
                    .with("item", IntTensor.of(ints(s.get("item")), batch, width));
            double loss = step.run(new Batch(in, kind.rating() ? Tensor.of(floats(s.get("rating")), batch) : null)).loss();
            assertEquals(((Number) losses.get(t)).doubleValue(), loss, 1e-5, kind + " loss of step " + t);
        }
        Map<String, Tensor> after = model.stateDict();
        ((Map<String, Object>) c.get("final")).forEach((k, v) -> {
            float[] want = floats(v);
            float[] got = after.get(k).toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, kind + " " + k + "[" + i + "] after " + steps.size() + " steps");
            }
        });
    }
}
