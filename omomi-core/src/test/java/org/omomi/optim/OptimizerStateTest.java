package org.omomi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Saving an optimizer's state and loading it into a fresh one continues the run exactly. */
class OptimizerStateTest {

    record Kind(String name, Function<List<Tensor>, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("sgd momentum nesterov", p -> new Sgd(p, Sgd.Options.lr(0.05).withMomentum(0.9).withNesterov(true))),
                new Kind("adam amsgrad", p -> new Adam(p, Adam.Options.adam().withLr(0.05).withAmsgrad(true))),
                new Kind("adamw", p -> new Adam(p, Adam.Options.adamW().withLr(0.05))),
                new Kind("rmsprop centered momentum", p -> new RmsProp(p, RmsProp.Options.defaults().withMomentum(0.5).withCentered(true))),
                new Kind("adagrad", p -> new Adagrad(p, Adagrad.Options.defaults().withLrDecay(0.01))));
    }

    private static void steps(Optimizer opt, Tensor p, int from, int to) {
        for (int s = from; s < to; s++) {
            Tensor g = Tensor.randn(new Rng(s), p.shape()).add(p.detach().mul(0.5f));
            p.setGrad(g);
            opt.step();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void resumingFromSavedStateMatchesAnUninterruptedRun(Kind kind) {
        Tensor straight = Tensor.randn(new Rng(1), 3, 4).requiresGrad(true);
        Optimizer a = kind.make().apply(List.of(straight));
        steps(a, straight, 0, 30);

        Tensor first = Tensor.randn(new Rng(1), 3, 4).requiresGrad(true);
        Optimizer b = kind.make().apply(List.of(first));
        steps(b, first, 0, 12);
        Optimizer.Snapshot saved = b.stateDict();
        float[] weights = first.toArray();

        Tensor resumed = Tensor.of(weights, 3, 4).requiresGrad(true);
        Optimizer c = kind.make().apply(List.of(resumed));
        c.loadStateDict(saved);
        steps(c, resumed, 12, 30);
        assertArrayEquals(straight.toArray(), resumed.toArray());
    }

    @Test
    void stateNamesFollowPyTorchsBuffers() {
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        Optimizer opt = new Adam(List.of(p), Adam.Options.adam().withAmsgrad(true));
        p.setGrad(Tensor.ones(2));
        opt.step();
        Optimizer.Snapshot s = opt.stateDict();
        assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq"), List.copyOf(s.buffers().keySet()));
        assertEquals(List.of("state.0.step", "group.0.lr", "group.0.weight_decay", "group.0.momentum"), List.copyOf(s.values().keySet()));
        assertEquals(1e-3, s.values().get("group.0.lr")); // exact, not rounded to float
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadStateDict(new Optimizer.Snapshot(Map.of(), Map.of("state.5.step", 1.0))));
        assertTrue(e.getMessage().contains("state.5.step"), e.getMessage());
    }
}
