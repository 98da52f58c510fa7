package org.omomi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.omomi.conformance.Fixtures.assertClose;
import static org.omomi.conformance.Fixtures.floats;
import static org.omomi.conformance.Fixtures.map;
import static org.omomi.conformance.Fixtures.number;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.omomi.conformance.Fixtures;
import org.omomi.tensor.Tensor;

/** Learning-rate schedules and gradient clipping against torch.optim.lr_scheduler and nn.utils. */
class ScheduleConformanceTest {

    private static final Map<String, Object> FIXTURE = Fixtures.load("schedules.json");
    private static final Map<String, Object> SCHEDULES = map(FIXTURE.get("schedules"));
    private static final int EPOCHS = (int) number(FIXTURE.get("epochs"));

    private static Optimizer sgd() {
        return new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), Sgd.Options.lr(0.1).withMomentum(0.9));
    }

    /** The learning rate (and momentum) seen at the start of each epoch. */
    private static float[][] run(Optimizer opt, Function<Optimizer, Object> make, float[] metrics) {
        Object s = make.apply(opt);
        float[] lrs = new float[EPOCHS];
        float[] moms = new float[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) {
            lrs[e] = (float) opt.groups().get(0).lr();
            moms[e] = (float) opt.groups().get(0).momentum();
            if (s instanceof ReduceLrOnPlateau) {
                ((ReduceLrOnPlateau) s).step(metrics[e]);
            } else {
                ((LrScheduler) s).step();
            }
        }
        return new float[][] {lrs, moms};
    }

    private static Map<String, Object> params(String name) {
        return map(map(SCHEDULES.get(name)).get("params"));
    }

    @Test
    void stepAndExponential() {
        Map<String, Object> p = params("step");
        assertClose(floats(map(SCHEDULES.get("step")).get("lr")),
                run(sgd(), o -> LrScheduler.stepDecay(o, (int) number(p.get("step_size")), number(p.get("gamma"))), null)[0], "step");
        double gamma = number(params("exponential").get("gamma"));
        assertClose(floats(map(SCHEDULES.get("exponential")).get("lr")),
                run(sgd(), o -> LrScheduler.exponential(o, gamma), null)[0], "exponential");
    }

    @Test
    void cosineWithWarmup() {
        Map<String, Object> p = params("cosine_warmup");
        assertClose(floats(map(SCHEDULES.get("cosine_warmup")).get("lr")),
                run(sgd(), o -> LrScheduler.cosineWithWarmup(o, (int) number(p.get("warmup")), (int) number(p.get("total")),
                        number(p.get("min_lr")), number(p.get("start_factor"))), null)[0], "cosine with warm-up");
    }

    @Test
    void oneCycleCyclesLearningRateAndMomentum() {
        for (String name : new String[] {"one_cycle_sgd", "one_cycle_adam"}) {
            Map<String, Object> s = map(SCHEDULES.get(name));
            Map<String, Object> p = map(s.get("params"));
            Optimizer opt = name.endsWith("sgd") ? sgd()
                    : new Adam(List.of(Tensor.zeros(1).requiresGrad(true)), Adam.Options.adam().withLr(0.1));
            float[][] got = run(opt, o -> OneCycleLr.of(o, number(p.get("max_lr")), (int) number(p.get("total_steps"))), null);
            assertClose(floats(s.get("lr")), got[0], name + " lr");
            assertClose(floats(s.get("momentum")), got[1], name + " momentum");
        }
    }

    @Test
    void reduceOnPlateau() {
        Map<String, Object> s = map(SCHEDULES.get("plateau"));
        Map<String, Object> p = map(s.get("params"));
        float[] lrs = run(sgd(), o -> new ReduceLrOnPlateau(o, number(p.get("factor")), (int) number(p.get("patience")),
                number(p.get("threshold")), (int) number(p.get("cooldown")), number(p.get("min_lr"))), floats(s.get("metrics")))[0];
        assertClose(floats(s.get("lr")), lrs, "plateau");
    }

    @Test
    void gradientClipping() {
        Map<String, Object> c = map(FIXTURE.get("clip"));
        List<Object> grads = Fixtures.list(c.get("grads"));
        Tensor a = Tensor.zeros(3, 4).requiresGrad(true);
        Tensor b = Tensor.zeros(5).requiresGrad(true);
        a.setGrad(Tensor.of(floats(grads.get(0)), 3, 4));
        b.setGrad(Tensor.vector(floats(grads.get(1))));
        double norm = GradClip.byNorm(List.of(a, b), number(c.get("max_norm")));
        assertEquals(number(c.get("total_norm")), norm, 1e-5 * norm);
        List<Object> clipped = Fixtures.list(c.get("clipped"));
        assertClose(floats(clipped.get(0)), a.grad().toArray(), "clipped by norm");
        assertClose(floats(clipped.get(1)), b.grad().toArray(), "clipped by norm");
        a.setGrad(Tensor.of(floats(grads.get(0)), 3, 4));
        b.setGrad(Tensor.vector(floats(grads.get(1))));
        GradClip.byValue(List.of(a, b), (float) number(c.get("value")));
        List<Object> byValue = Fixtures.list(c.get("value_clipped"));
        assertClose(floats(byValue.get(0)), a.grad().toArray(), "clipped by value");
        assertClose(floats(byValue.get(1)), b.grad().toArray(), "clipped by value");
    }
}
