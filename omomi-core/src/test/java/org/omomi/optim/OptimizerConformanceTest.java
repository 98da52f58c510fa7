package org.omomi.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.omomi.conformance.Fixtures.assertClose;
import static org.omomi.conformance.Fixtures.floats;
import static org.omomi.conformance.Fixtures.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.conformance.Fixtures;
import org.omomi.tensor.Tensor;

/**
 * 100-step trajectories of every optimizer and variant against torch.optim, on Σ s·(p − t)² with a
 * different curvature per coordinate, so momentum overshoots and adaptive methods differ.
 */
class OptimizerConformanceTest {

    private static final Map<String, Object> FIXTURE = Fixtures.load("optimizers.json");
    private static final float[] P0 = floats(FIXTURE.get("p0"));
    private static final float[] TARGET = floats(FIXTURE.get("target"));
    private static final float[] SCALE = floats(FIXTURE.get("scale"));
    private static final int[] RECORD = Fixtures.ints(FIXTURE.get("record_steps"));

    static Stream<Map<String, Object>> configs() {
        List<Map<String, Object>> out = new ArrayList<>();
        Fixtures.list(FIXTURE.get("configs")).forEach(c -> out.add(map(c)));
        return out.stream();
    }

    private static double opt(Map<String, Object> o, String key, double fallback) {
        return o.containsKey(key) ? Fixtures.number(o.get(key)) : fallback;
    }

    private static boolean flag(Map<String, Object> o, String key) {
        return Boolean.TRUE.equals(o.get(key));
    }

    static Optimizer optimizerFor(String kind, Map<String, Object> o, List<Tensor> params) {
        switch (kind) {
            case "sgd":
                return new Sgd(params, Sgd.Options.lr(opt(o, "lr", 0)).withMomentum(opt(o, "momentum", 0))
                        .withDampening(opt(o, "dampening", 0)).withWeightDecay(opt(o, "weight_decay", 0))
                        .withNesterov(flag(o, "nesterov")));
            case "adam":
            case "adamw": {
                Adam.Options a = kind.equals("adam") ? Adam.Options.adam() : Adam.Options.adamW();
                a = a.withLr(opt(o, "lr", a.lr())).withWeightDecay(opt(o, "weight_decay", a.weightDecay()))
                        .withEps(opt(o, "eps", a.eps())).withAmsgrad(flag(o, "amsgrad"));
                if (o.containsKey("betas")) {
                    float[] b = floats(o.get("betas"));
                    a = a.withBetas(b[0], b[1]);
                }
                return new Adam(params, a);
            }
            case "rmsprop":
                return new RmsProp(params, RmsProp.Options.defaults().withLr(opt(o, "lr", 1e-2))
                        .withAlpha(opt(o, "alpha", 0.99)).withWeightDecay(opt(o, "weight_decay", 0))
                        .withMomentum(opt(o, "momentum", 0)).withCentered(flag(o, "centered")));
            case "adagrad":
                return new Adagrad(params, Adagrad.Options.defaults().withLr(opt(o, "lr", 1e-2))
                        .withLrDecay(opt(o, "lr_decay", 0)).withWeightDecay(opt(o, "weight_decay", 0))
                        .withInitialAccumulator(opt(o, "initial_accumulator_value", 0)));
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** Runs 100 steps with the fixture's gradient and checks the recorded points of the trajectory. */
    static void follow(List<Object> trajectory, List<Tensor> params, Optimizer optimizer, String what) {
        int recorded = 0;
        for (int step = 1; step <= 100; step++) {
            int offset = 0;
            for (Tensor p : params) {
                float[] v = p.toArray();
                float[] g = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    g[i] = (v[i] - TARGET[offset + i]) * 2f * SCALE[offset + i]; // the fixture's float32 ops
                }
                p.setGrad(Tensor.of(g, p.shape()));
                offset += v.length;
            }
            optimizer.step();
            if (recorded < RECORD.length && RECORD[recorded] == step) {
                float[] all = new float[P0.length];
                int at = 0;
                for (Tensor p : params) {
                    float[] v = p.toArray();
                    System.arraycopy(v, 0, all, at, v.length);
                    at += v.length;
                }
                assertClose(floats(trajectory.get(recorded)), all, what + " after step " + step);
                recorded++;
            }
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("configs")
    void trajectoryMatchesTorch(Map<String, Object> c) {
        String kind = (String) c.get("kind");
        Map<String, Object> o = map(c.get("options"));
        Tensor p = Tensor.of(P0, P0.length).requiresGrad(true);
        follow(Fixtures.list(c.get("trajectory")), List.of(p), optimizerFor(kind, o, List.of(p)), kind + " " + o);
    }

    @Test
    void parameterGroupsMatchTorch() {
        Map<String, Object> c = map(FIXTURE.get("groups"));
        Tensor a = Tensor.of(java.util.Arrays.copyOfRange(P0, 0, 4), 4).requiresGrad(true);
        Tensor b = Tensor.of(java.util.Arrays.copyOfRange(P0, 4, 8), 4).requiresGrad(true);
        Adam opt = Adam.withGroups(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).withWeightDecay(0)),
                Adam.Options.adamW().withLr(0.05).withWeightDecay(0.5));
        follow(Fixtures.list(c.get("trajectory")), List.of(a, b), opt, "AdamW with groups");
    }

    /** Adam with ε inside the square root, √(v̂ + ε) instead of √v̂ + ε: a plausible slip the suite must catch. */
    static final class EpsInsideSqrtAdam extends Optimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;

        EpsInsideSqrtAdam(List<Tensor> params, double lr, double beta1, double beta2, double eps) {
            super(single(params), lr, 0, beta1);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        @Override
        protected void update(ParamGroup group, float[] p, float[] g, State state) {
            float[] m = state.buffer("exp_avg", p.length, 0f);
            float[] v = state.buffer("exp_avg_sq", p.length, 0f);
            double bc1 = 1 - Math.pow(beta1, state.step);
            double bc2 = 1 - Math.pow(beta2, state.step);
            for (int i = 0; i < p.length; i++) {
                m[i] = (float) (beta1 * m[i] + (1 - beta1) * g[i]);
                v[i] = (float) (beta2 * v[i] + (1 - beta2) * g[i] * g[i]);
                double denom = Math.sqrt(v[i] / bc2 + eps);
                p[i] -= (float) (group.lr() / bc1 * m[i] / denom);
            }
        }
    }

    @Test
    void aWrongUpdateIsCaught() {
        // The fixture's Adam with ε = 1e-3, where ε's place matters: √(v̂ + ε) vs √v̂ + ε.
        Map<String, Object> adam = configs().filter(c -> c.get("kind").equals("adam")
                && Double.valueOf(1e-3).equals(map(c.get("options")).get("eps"))).findFirst().orElseThrow();
        Map<String, Object> o = map(adam.get("options"));
        float[] betas = {0.9f, 0.999f};
        Tensor right = Tensor.of(P0, P0.length).requiresGrad(true);
        follow(Fixtures.list(adam.get("trajectory")), List.of(right), optimizerFor("adam", o, List.of(right)), "Adam");
        Tensor p = Tensor.of(P0, P0.length).requiresGrad(true);
        Optimizer broken = new EpsInsideSqrtAdam(List.of(p), opt(o, "lr", 0), betas[0], betas[1], opt(o, "eps", 0));
        assertThrows(AssertionError.class,
                () -> follow(Fixtures.list(adam.get("trajectory")), List.of(p), broken, "broken Adam"));
    }
}
