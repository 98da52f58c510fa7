package org.omomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.init.Init;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * The contract every layer meets: output shape, parameter count, a state round trip that restores
 * the outputs, seeded determinism, and gradients reaching every parameter.
 */
class ModuleContractTest {

    /** A layer made from a seed, an input for it, and what it must produce. */
    record Spec(String name, Function<Rng, Module> make, int[] inputShape, boolean integerInput,
                int[] outputShape, long parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Spec> specs() {
        return Stream.of(
                new Spec("Dense", r -> new Dense(5, 3, r), new int[] {4, 5}, false, new int[] {4, 3}, 18),
                new Spec("Dense without bias, He init", r -> new Dense(5, 3, false, r, Init.heNormal(), Init.zeros()),
                        new int[] {2, 4, 5}, false, new int[] {2, 4, 3}, 15),
                new Spec("Bias", r -> new Bias(5), new int[] {2, 3, 5}, false, new int[] {2, 3, 5}, 5),
                new Spec("Embedding", r -> new Embedding(10, 4, r), new int[] {2, 3}, true, new int[] {2, 3, 4}, 40),
                new Spec("Dropout", r -> new Dropout(0.3f, r), new int[] {4, 5}, false, new int[] {4, 5}, 0),
                new Spec("Flatten", r -> new Flatten(), new int[] {2, 3, 4}, false, new int[] {2, 12}, 0),
                new Spec("Identity", r -> new Identity(), new int[] {3}, false, new int[] {3}, 0),
                new Spec("Bias", r -> new Bias(4), new int[] {2, 3, 4}, false, new int[] {2, 3, 4}, 4),
                new Spec("Sequential MLP", r -> new Sequential(new Dense(5, 8, r), Activation.relu(), new Dropout(0.2f, r),
                        new Dense(8, 2, r)), new int[] {6, 5}, false, new int[] {6, 2}, 5 * 8 + 8 + 8 * 2 + 2),
                new Spec("Sigmoid", r -> Activation.sigmoid(), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("Tanh", r -> Activation.tanh(), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("ReLU", r -> Activation.relu(), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("LeakyReLU", r -> Activation.leakyRelu(0.01f), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("ELU", r -> Activation.elu(1f), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("GELU", r -> Activation.gelu(), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("Softplus", r -> Activation.softplus(1f, 20f), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("Softmax", r -> Activation.softmax(-1), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("LogSoftmax", r -> Activation.logSoftmax(-1), new int[] {3, 4}, false, new int[] {3, 4}, 0),
                new Spec("Conv2d", r -> new Conv2d(3, 5, 3, 2, 1, 1, 1, true, r, null, null), new int[] {2, 3, 7, 6}, false,
                        new int[] {2, 5, 4, 3}, 5 * 3 * 9 + 5),
                new Spec("MaxPool2d", r -> Pool2d.max(2, 2, 0), new int[] {2, 3, 6, 4}, false, new int[] {2, 3, 3, 2}, 0),
                new Spec("AvgPool2d", r -> Pool2d.average(3, 2, 1), new int[] {2, 3, 6, 4}, false, new int[] {2, 3, 3, 2}, 0),
                new Spec("GlobalAvgPool", r -> Pool2d.globalAverage(), new int[] {2, 3, 6, 4}, false, new int[] {2, 3}, 0),
                new Spec("BatchNorm2d", r -> BatchNorm.of2d(3), new int[] {4, 3, 5, 5}, false, new int[] {4, 3, 5, 5}, 6),
                new Spec("BatchNorm1d", r -> BatchNorm.of1d(4), new int[] {6, 4}, false, new int[] {6, 4}, 8),
                new Spec("LayerNorm", r -> new LayerNorm(5), new int[] {3, 5}, false, new int[] {3, 5}, 10),
                new Spec("Dropout2d", r -> Dropout.channels(0.3f, r), new int[] {2, 4, 3, 3}, false, new int[] {2, 4, 3, 3}, 0),
                new Spec("Unflatten", r -> new Unflatten(1, 4, 4), new int[] {3, 16}, false, new int[] {3, 1, 4, 4}, 0),
                new Spec("BasicBlock with projection", r -> new BasicBlock(3, 6, 2, true, r), new int[] {2, 3, 8, 8}, false,
                        new int[] {2, 6, 4, 4}, 3 * 6 * 9 + 12 + 6 * 6 * 9 + 12 + 3 * 6 + 12),
                new Spec("PlainBlock", r -> new BasicBlock(4, 4, 1, false, r), new int[] {2, 4, 5, 5}, false,
                        new int[] {2, 4, 5, 5}, 2 * (4 * 4 * 9 + 8)));
    }

    private static Tensor input(Spec s, long seed) {
        Rng rng = new Rng(seed);
        if (s.integerInput()) {
            float[] v = new float[Arrays.stream(s.inputShape()).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextInt(10);
            }
            return Tensor.of(v, s.inputShape());
        }
        return Tensor.randn(rng, s.inputShape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void shapesAndParameterCount(Spec s) {
        Module m = s.make().apply(new Rng(1));
        assertArrayEquals(s.outputShape(), m.forward(input(s, 2)).shape());
        assertEquals(s.parameters(), m.parameterCount());
        assertEquals(m.parameters().size(), m.namedParameters().size());
        assertNotNull(m.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void stateRoundTripRestoresTheOutputs(Spec s) {
        Module a = s.make().apply(new Rng(1)).eval();
        Module b = s.make().apply(new Rng(99)).eval();
        Tensor x = input(s, 3);
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void sameSeedSameParametersOtherSeedOtherParameters(Spec s) {
        Map<String, Tensor> one = s.make().apply(new Rng(5)).stateDict();
        Map<String, Tensor> two = s.make().apply(new Rng(5)).stateDict();
        Map<String, Tensor> other = s.make().apply(new Rng(6)).stateDict();
        for (String k : one.keySet()) {
            assertArrayEquals(one.get(k).toArray(), two.get(k).toArray(), k);
            float[] v = one.get(k).toArray();
            boolean constant = true; // constant initializations (zeros, ones, BatchNorm's buffers) draw nothing
            for (float x : v) {
                constant &= x == v[0];
            }
            if (!constant) {
                assertFalse(Arrays.equals(one.get(k).toArray(), other.get(k).toArray()), k + " ignores the seed");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void gradientsReachEveryParameter(Spec s) {
        Module m = s.make().apply(new Rng(1));
        Tensor x = input(s, 4);
        if (!s.integerInput()) {
            x.requiresGrad(true); // parameter-free layers: the gradient must reach the input instead
        }
        Tensor y = m.forward(x);
        y.mul(Tensor.randn(new Rng(7), y.shape())).sum().backward();
        if (!s.integerInput()) {
            assertNotNull(x.grad(), "no gradient reached the input");
            assertArrayEquals(x.shape(), x.grad().shape());
        }
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertNotNull(g, e.getKey() + " got no gradient");
            assertArrayEquals(e.getValue().shape(), g.shape());
            boolean nonZero = false;
            for (float v : g.toArray()) {
                nonZero |= v != 0f;
            }
            assertTrue(nonZero, e.getKey() + " got an all-zero gradient");
        }
    }
}
