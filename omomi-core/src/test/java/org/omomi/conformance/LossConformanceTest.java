package org.omomi.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omomi.conformance.Fixtures.assertClose;
import static org.omomi.conformance.Fixtures.floats;
import static org.omomi.conformance.Fixtures.ints;
import static org.omomi.conformance.Fixtures.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.loss.BceLoss;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.loss.CrossEntropyLoss;
import org.omomi.loss.HuberLoss;
import org.omomi.loss.L1Loss;
import org.omomi.loss.Loss;
import org.omomi.loss.MseLoss;
import org.omomi.loss.NllLoss;
import org.omomi.loss.Reduction;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/** Every loss, every reduction, values and input gradients, against PyTorch (extreme inputs included). */
class LossConformanceTest {

    static Stream<Map<String, Object>> cases() {
        List<Map<String, Object>> out = new ArrayList<>();
        Fixtures.list(Fixtures.load("losses.json").get("cases")).forEach(c -> out.add(map(c)));
        return out.stream();
    }

    private static Tensor optional(Map<String, Object> options, String key) {
        return options.containsKey(key) ? Tensor.vector(floats(options.get(key))) : null;
    }

    static Loss lossFor(Map<String, Object> c) {
        Map<String, Object> o = map(c.get("options"));
        Reduction r = Reduction.valueOf(((String) c.get("reduction")).toUpperCase(Locale.ROOT));
        switch ((String) c.get("name")) {
            case "mse": return new MseLoss(r);
            case "l1": return new L1Loss(r);
            case "huber": return new HuberLoss((float) Fixtures.number(o.get("delta")), r);
            case "bce": return new BceLoss(optional(o, "weight"), r);
            case "bce_logits": return new BceWithLogitsLoss(optional(o, "pos_weight"), null, r);
            case "cross_entropy":
                return new CrossEntropyLoss(optional(o, "weight"),
                        o.containsKey("label_smoothing") ? (float) Fixtures.number(o.get("label_smoothing")) : 0f, r);
            case "nll": return new NllLoss(optional(o, "weight"), r);
            default: throw new IllegalArgumentException("unknown loss " + c.get("name"));
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void valueAndGradientMatchPyTorch(Map<String, Object> c) {
        String what = c.get("name") + " " + c.get("options") + " " + c.get("reduction");
        Tensor input = Fixtures.tensor(c, "input", "input_shape").requiresGrad(true);
        Tensor target = Fixtures.tensor(c, "target", "target_shape");
        Tensor loss = lossFor(c).compute(input, target);
        assertClose(floats(c.get("loss")), loss.toArray(), what + " loss");
        for (float v : loss.toArray()) {
            assertTrue(Float.isFinite(v), what + ": non-finite loss");
        }
        Tensor g = Tensor.of(floats(c.get("g")), ints(c.get("loss_shape")));
        Tensor grad = Autograd.vjp(loss, g, input)[0];
        assertClose(floats(c.get("dinput")), grad.toArray(), what + " gradient");
    }
}
