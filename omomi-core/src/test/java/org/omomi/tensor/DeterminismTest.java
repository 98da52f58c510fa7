package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;

/** Same seed, same data → bit-identical tensors, on one thread and, for omomi's kernels, on two. */
class DeterminismTest {

    /** A small two-layer network trained by hand for a few steps; returns all weights, flattened. */
    static float[] train(long seed) {
        Rng rng = new Rng(seed);
        Rng dataRng = rng.split();
        Rng initRng = rng.split();
        Tensor x = Tensor.randn(dataRng, 256, 20);
        Tensor y = x.slice(1, 0, 1).mul(3f).tanh();
        Tensor w1 = Tensor.normal(initRng, 0f, 0.3f, 64, 20).requiresGrad(true);
        Tensor b1 = Tensor.zeros(64).requiresGrad(true);
        Tensor w2 = Tensor.truncatedNormal(initRng, 0f, 0.2f, -0.4f, 0.4f, 1, 64).requiresGrad(true);
        for (int step = 0; step < 20; step++) {
            Tensor keep = Tensor.bernoulli(initRng, 0.9f, 256, 64).div(0.9f);
            Tensor h = x.matmul(w1.t()).add(b1).relu().mul(keep);
            Tensor loss = h.matmul(w2.t()).sub(y).pow(2f).mean();
            loss.backward();
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (Tensor p : new Tensor[] {w1, b1, w2}) {
                    p.copyFrom(p.sub(p.grad().mul(0.05f)));
                    p.clearGrad();
                }
            }
        }
        float[] all = new float[w1.numel() + b1.numel() + w2.numel()];
        System.arraycopy(w1.toArray(), 0, all, 0, w1.numel());
        System.arraycopy(b1.toArray(), 0, all, w1.numel(), b1.numel());
        System.arraycopy(w2.toArray(), 0, all, w1.numel() + b1.numel(), w2.numel());
        return all;
    }

    @Test
    void sameSeedOneThreadGivesBitIdenticalWeights() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] first = train(2024);
            float[] second = train(2024);
            assertArrayEquals(first, second);
            assertFalse(Arrays.equals(first, train(2025)), "a different seed must give different weights");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void threadCountDoesNotChangeTheBits() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = train(7);
            Parallel.setThreads(2);
            float[] two = train(7);
            assertArrayEquals(one, two);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
