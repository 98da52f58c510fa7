package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Tensor#conv2dReluMaxPool2} gives, bit for bit, what {@code conv2d → relu → maxPool2d(2, 2, 0)}
 * gives, forward and backward, including windows full of ReLU's zeros (ties), odd output sizes that
 * pooling trims, strides, groups and no bias.
 */
class FusedConvolutionTest {

    record Case(int n, int c, int h, int w, int o, int k, int stride, int pad, int groups, boolean bias, float shift) {
        @Override
        public String toString() {
            return n + "×" + c + "×" + h + "×" + w + " → " + o + ", " + k + "×" + k + " stride " + stride + " pad " + pad
                    + (groups > 1 ? " groups " + groups : "") + (bias ? " bias" : "") + (shift != 0 ? " shift " + shift : "");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(3, 2, 8, 8, 4, 3, 1, 1, 1, true, 0f),
                new Case(2, 4, 9, 7, 6, 3, 1, 1, 2, false, 0f),
                new Case(2, 3, 11, 10, 5, 3, 2, 0, 1, true, 0f),
                new Case(4, 1, 28, 28, 32, 3, 1, 1, 1, true, 0f),
                new Case(3, 8, 14, 14, 16, 3, 1, 1, 1, true, -1.5f), // most outputs below zero: windows of tied zeros
                new Case(2, 2, 6, 6, 3, 1, 1, 0, 1, true, 0f));
    }

    private static Tensor[] unfused(Case c, Tensor x, Tensor w, Tensor b) {
        return new Tensor[] {x.conv2d(w, b, new int[] {c.stride(), c.stride()}, new int[] {c.pad(), c.pad()}, new int[] {1, 1}, c.groups())
                .relu().maxPool2d(2, 2, 0)};
    }

    private static Tensor[] fused(Case c, Tensor x, Tensor w, Tensor b) {
        return new Tensor[] {x.conv2dReluMaxPool2(w, b, new int[] {c.stride(), c.stride()}, new int[] {c.pad(), c.pad()}, new int[] {1, 1}, c.groups())};
    }

    /** Output, then the gradients of x, w (and b) for a seeded upstream gradient. */
    private static float[][] run(Case c, boolean fusedOp) {
        Rng r = new Rng(c.hashCode());
        Tensor x = Tensor.randn(r, c.n(), c.c(), c.h(), c.w()).requiresGrad(true);
        Tensor w = Tensor.randn(r, c.o(), c.c() / c.groups(), c.k(), c.k()).requiresGrad(true);
        Tensor b = c.bias() ? Tensor.randn(r, c.o()).add(c.shift()).detach().requiresGrad(true) : null;
        Tensor y = (fusedOp ? fused(c, x, w, b) : unfused(c, x, w, b))[0];
        y.backward(Tensor.randn(new Rng(7), y.shape()));
        return b == null ? new float[][] {y.toArray(), x.grad().toArray(), w.grad().toArray()}
                : new float[][] {y.toArray(), x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBitsAsConvolutionReluAndPooling(Case c) {
        float[][] want = run(c, false);
        float[][] got = run(c, true);
        String[] what = {"output", "dx", "dW", "db"};
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], c + ": " + what[i]);
        }
        assertTrue(want[0].length > 0);
    }

    @Test
    void withoutGradModeNothingIsRecorded() {
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 8, 8).requiresGrad(true);
        Tensor w = Tensor.randn(new Rng(2), 4, 3, 3, 3).requiresGrad(true);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor y = x.conv2dReluMaxPool2(w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);
            assertTrue(y.isLeaf() && !y.requiresGrad());
            assertArrayEquals(new int[] {2, 4, 4, 4}, y.shape());
        }
    }

    @Test
    void anOutputTooSmallToPoolIsRefused() {
        Tensor x = Tensor.randn(new Rng(3), 1, 1, 3, 3);
        Tensor w = Tensor.randn(new Rng(4), 2, 1, 3, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> x.conv2dReluMaxPool2(w, null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1));
        assertTrue(e.getMessage().contains("1×1"), e.getMessage());
    }
}
