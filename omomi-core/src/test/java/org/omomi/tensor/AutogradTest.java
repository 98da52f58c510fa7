package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The autograd engine: accumulation, scopes, detach, intermediate gradients. */
class AutogradTest {

    @Test
    void neuronGradientByHand() {
        // z = w·x + b, y = σ(z), L = (y − t)²: dL/dw = 2(y − t)·y(1 − y)·x.
        Tensor x = Tensor.vector(1f, 2f, 3f);
        Tensor w = Tensor.vector(0.1f, 0.9f, 0.4f).requiresGrad(true);
        Tensor b = Tensor.scalar(-1f).requiresGrad(true);
        Tensor y = w.mul(x).sum().add(b).sigmoid();
        Tensor loss = y.sub(1f).pow(2f);
        loss.backward();
        double z = 0.1 + 1.8 + 1.2 - 1;
        double s = 1 / (1 + Math.exp(-z));
        double common = 2 * (s - 1) * s * (1 - s);
        assertArrayEquals(new float[] {(float) common, (float) (2 * common), (float) (3 * common)}, w.grad().toArray(), 1e-6f);
        assertEquals(common, b.grad().item(), 1e-6);
    }

    @Test
    void gradientsAccumulateUntilCleared() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        w.mul(3f).sum().backward();
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toArray());
        w.clearGrad();
        assertNull(w.grad());
        w.pow(2f).sum().backward();
        assertArrayEquals(new float[] {2, 4}, w.grad().toArray());
    }

    @Test
    void sharedSubexpressionsSumTheirContributions() {
        Tensor x = Tensor.scalar(3f).requiresGrad(true);
        Tensor y = x.mul(x); // used twice below
        Tensor z = y.add(y.mul(2f)).add(x);
        z.backward();
        assertEquals(3 * 2 * 3 + 1, x.grad().item(), 1e-6); // d/dx (3x² + x)
    }

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor y = w.mul(2f);
            assertFalse(y.requiresGrad());
            assertFalse(Autograd.isEnabled());
            try (Autograd.Scope inner = Autograd.enableGrad()) {
                assertTrue(w.mul(2f).requiresGrad());
            }
            assertFalse(Autograd.isEnabled());
        }
        assertTrue(Autograd.isEnabled());
        assertTrue(w.mul(2f).requiresGrad());
    }

    @Test
    void detachStopsTheFlow() {
        Tensor x = Tensor.scalar(2f).requiresGrad(true);
        Tensor y = x.mul(x.detach()); // d/dx = x, treating the detached copy as a constant
        y.backward();
        assertEquals(2f, x.grad().item());
        assertFalse(x.detach().requiresGrad());
    }

    @Test
    void gradientWithRespectToAnIntermediate() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor h = x.mul(2f);          // intermediate, like a feature map
        Tensor out = h.pow(2f).sum();  // d out / d h = 2h
        Tensor[] g = Autograd.grad(out, h, x);
        assertArrayEquals(new float[] {4, 8, 12}, g[0].toArray());
        assertArrayEquals(new float[] {8, 16, 24}, g[1].toArray());
        assertNull(x.grad(), "Autograd.grad leaves grad() alone");
        // A tensor the output does not depend on gets zeros.
        Tensor other = Tensor.vector(5).requiresGrad(true);
        assertArrayEquals(new float[] {0}, Autograd.grad(out, other)[0].toArray());
    }

    @Test
    void retainGradKeepsAnIntermediatesGradient() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        Tensor h = x.exp().retainGrad();
        h.sum().backward();
        assertArrayEquals(new float[] {1, 1}, h.grad().toArray());
    }

    @Test
    void backwardWithAGivenOutputGradient() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
        x.mul(x).backward(Tensor.vector(1, 0, -1));
        assertArrayEquals(new float[] {2, 0, -6}, x.grad().toArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2f).backward());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward(Tensor.vector(1, 2)));
    }

    @Test
    void backwardWithoutAnythingToDifferentiateExplains() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.scalar(1).exp().backward());
        assertTrue(e.getMessage().contains("requiresGrad"), e.getMessage());
    }

    @Test
    void broadcastGradientsSumBackToTheOperandShape() {
        Tensor bias = Tensor.vector(0, 0, 0).requiresGrad(true);
        Tensor x = Tensor.ones(4, 3);
        x.add(bias).sum().backward();
        assertArrayEquals(new float[] {4, 4, 4}, bias.grad().toArray());
        assertEquals("expand", x.add(bias).gradFn() == null ? null : x.add(bias).gradFn().inputs[1].gradFnName());
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(0f);
        }
        y.backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void onlyLeavesCanChangeRequiresGrad() {
        Tensor x = Tensor.vector(1).requiresGrad(true);
        Tensor y = x.exp();
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertEquals("exp", y.gradFnName());
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
    }
}
