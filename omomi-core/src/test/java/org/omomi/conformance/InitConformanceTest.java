package org.omomi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omomi.conformance.Fixtures.map;
import static org.omomi.conformance.Fixtures.number;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.init.Fans;
import org.omomi.init.Fans.FanMode;
import org.omomi.init.Gain;
import org.omomi.init.Init;
import org.omomi.init.Initializer;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Fans, gains, and the statistics of every initializer, against torch.nn.init. */
class InitConformanceTest {

    private static final Map<String, Object> FIXTURE = Fixtures.load("init.json");

    @Test
    void fansAndGainsAreTorchs() {
        int[] shape = Fixtures.ints(FIXTURE.get("shape"));
        assertEquals(new Fans((int) number(FIXTURE.get("fan_in")), (int) number(FIXTURE.get("fan_out"))), Fans.of(shape));
        assertEquals(new Fans((int) number(FIXTURE.get("conv_fan_in")), (int) number(FIXTURE.get("conv_fan_out"))),
                Fans.of(Fixtures.ints(FIXTURE.get("conv_shape"))));
        for (Object o : Fixtures.list(FIXTURE.get("cases"))) {
            Map<String, Object> c = map(o);
            if (!c.get("name").equals("gain")) {
                continue;
            }
            String nl = (String) c.get("nonlinearity");
            double gain = nl.equals("leaky_relu") ? Gain.leakyRelu(number(c.get("param"))) : Gain.of(nl);
            assertEquals(number(c.get("gain")), gain, 1e-12, nl);
        }
    }

    private static Initializer initializerFor(String name, Map<String, Object> p) {
        switch (name) {
            case "xavier_uniform": return Init.xavierUniform(number(p.get("gain")));
            case "xavier_normal": return Init.xavierNormal(number(p.get("gain")));
            case "kaiming_uniform": return Init.kaimingUniform(Gain.relu(), FanMode.FAN_IN);
            case "kaiming_normal": return Init.kaimingNormal(Gain.relu(), FanMode.FAN_OUT);
            case "kaiming_normal_leaky": return Init.kaimingNormal(Gain.leakyRelu(number(p.get("a"))), FanMode.FAN_IN);
            case "linear_default": return Init.torchDefaultWeight();
            case "trunc_normal":
                return Init.truncatedNormal((float) number(p.get("mean")), (float) number(p.get("std")),
                        (float) number(p.get("a")), (float) number(p.get("b")));
            case "orthogonal": return Init.orthogonal(number(p.get("gain")));
            default: throw new IllegalArgumentException(name);
        }
    }

    @Test
    void everyInitializerHasTorchsStatistics() {
        int[] shape = Fixtures.ints(FIXTURE.get("shape"));
        for (Object o : Fixtures.list(FIXTURE.get("cases"))) {
            Map<String, Object> c = map(o);
            String name = (String) c.get("name");
            if (name.equals("gain")) {
                continue;
            }
            Tensor t = Tensor.zeros(shape);
            initializerFor(name, map(c.get("params"))).initialize(t, new Rng(name.hashCode()));
            float[] v = t.toArray();
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float x : v) {
                mean += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            mean /= v.length;
            double var = 0;
            for (float x : v) {
                var += (x - mean) * (x - mean);
            }
            double std = Math.sqrt(var / (v.length - 1));
            double torchStd = number(c.get("std"));
            // 131,072 samples: sample std agrees with torch's sample std to well under 2%.
            assertEquals(torchStd, std, 0.02 * torchStd, name + " std");
            assertEquals(number(c.get("mean")), mean, 0.02 * torchStd + 1e-3, name + " mean");
            if (c.get("expected_bound") != null) {
                double bound = number(c.get("expected_bound"));
                assertTrue(max <= bound && min >= -bound, name + ": values outside ±" + bound);
                assertTrue(max > 0.99 * bound && min < -0.99 * bound, name + ": does not reach ±" + bound);
            }
            if (c.get("expected_std") != null) {
                assertEquals(number(c.get("expected_std")), std, 0.02 * torchStd, name + " formula std");
            }
            if (name.equals("trunc_normal")) {
                assertTrue(min >= number(c.get("min")) - 1e-3 && max <= number(c.get("max")) + 1e-3, "trunc_normal bounds");
            }
        }
    }

    @Test
    void orthogonalRowsAreOrthonormalTimesGain() {
        Tensor w = Tensor.zeros(4, 7);
        Init.orthogonal(2.0).initialize(w, new Rng(5));
        Tensor gram;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            gram = w.matmul(w.t());
        }
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 4.0 : 0.0, gram.get(i, j), 1e-5);
            }
        }
        Tensor tall = Tensor.zeros(7, 3);
        Init.orthogonal(1.0).initialize(tall, new Rng(6));
        Tensor cols = tall.t().matmul(tall);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? 1.0 : 0.0, cols.get(i, j), 1e-5);
            }
        }
    }
}
