package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.kernel.Parallel;
import org.omomi.nn.BatchNorm;
import org.omomi.nn.Conv2d;
import org.omomi.optim.Adam;
import org.omomi.optim.Sgd;

/**
 * Every parallel kernel gives the same bits on 1, 2 and 3 threads, at sizes large enough that it
 * really splits its work (above each kernel's grain: GEMM's 4 MFLOP, the element-wise and
 * optimizer grains, the per-plane splits of convolution, pooling and batch norm), forward and
 * backward. Three threads matter: on two cores, 3 is not a divisor of anything a kernel might
 * silently assume.
 */
class ParallelDeterminismTest {

    /** The outputs and gradients of one kernel's forward and backward, concatenated. */
    static float[] run(Supplier<Tensor[]> f) {
        Tensor[] ts = f.get();
        int n = 0;
        for (Tensor t : ts) {
            n += t.numel();
        }
        float[] all = new float[n];
        int at = 0;
        for (Tensor t : ts) {
            System.arraycopy(t.toArray(), 0, all, at, t.numel());
            at += t.numel();
        }
        return all;
    }

    private static Tensor leaf(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), shape).requiresGrad(true);
    }

    /** f(x).backward with a seeded upstream gradient; returns {f(x), dx, other grads}. */
    private static Tensor[] forwardBackward(Tensor out, long seed, Tensor... leaves) {
        out.backward(Tensor.randn(new Rng(seed), out.shape()));
        Tensor[] r = new Tensor[leaves.length + 1];
        r[0] = out.detach();
        for (int i = 0; i < leaves.length; i++) {
            r[i + 1] = leaves[i].grad();
        }
        return r;
    }

    static Stream<Arguments> kernels() {
        List<Arguments> k = new ArrayList<>();
        k.add(Arguments.of("gemm 256×320×288 (53 MFLOP)", (Supplier<Tensor[]>) () -> {
            Tensor a = leaf(1, 256, 320);
            Tensor b = leaf(2, 320, 288);
            return forwardBackward(a.matmul(b), 3, a, b);
        }));
        k.add(Arguments.of("linear 40,000×60 → 1, a full-batch logistic regression (the thin path)", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(40, 40_000, 60);
            Tensor w = leaf(41, 1, 60);
            Tensor b = leaf(42, 1);
            return forwardBackward(x.linear(w, b), 43, x, w, b);
        }));
        k.add(Arguments.of("indexSelect of 10,000 rows × 32 from 100,000 (a large batch's gather)", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(44, 100_000, 32);
            int[] rows = new Rng(45).permutation(100_000);
            return forwardBackward(x.indexSelect(0, java.util.Arrays.copyOf(rows, 10_000)), 46, x);
        }));
        k.add(Arguments.of("linear 512×784 → 256", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(4, 512, 784);
            Tensor w = leaf(5, 256, 784);
            Tensor b = leaf(6, 256);
            return forwardBackward(x.linear(w, b), 7, x, w, b);
        }));
        k.add(Arguments.of("conv2d 3×3 pad 1, 16 images of 16×28×28 → 32", (Supplier<Tensor[]>) () -> {
            Conv2d c = new Conv2d(16, 32, 3, 1, 1, 1, 1, true, new Rng(8), null, null);
            Tensor x = leaf(9, 16, 16, 28, 28);
            return forwardBackward(c.call(x), 10, x, c.weight(), c.bias());
        }));
        k.add(Arguments.of("conv2d 3×3 stride 2", (Supplier<Tensor[]>) () -> {
            Conv2d c = new Conv2d(8, 16, 3, 2, 1, 1, 1, false, new Rng(11), null, null);
            Tensor x = leaf(12, 32, 8, 28, 28);
            return forwardBackward(c.call(x), 13, x, c.weight());
        }));
        k.add(Arguments.of("conv2dReluMaxPool2 3×3 pad 1, 16 images of 16×28×28 → 32", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(31, 16, 16, 28, 28);
            Tensor w = leaf(32, 32, 16, 3, 3);
            Tensor b = leaf(33, 32);
            return forwardBackward(x.conv2dReluMaxPool2(w, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1), 34, x, w, b);
        }));
        k.add(Arguments.of("maxPool2d 2×2 on 32×32×28×28", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(14, 32, 32, 28, 28);
            return forwardBackward(x.maxPool2d(2, 2, 0), 15, x);
        }));
        k.add(Arguments.of("avgPool2d 3×3 stride 1 pad 1", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(16, 16, 32, 20, 20);
            return forwardBackward(x.avgPool2d(3, 1, 1, true), 17, x);
        }));
        k.add(Arguments.of("adaptiveAvgPool2d to 1×1", (Supplier<Tensor[]>) () -> {
            Tensor x = leaf(18, 64, 64, 7, 7);
            return forwardBackward(x.adaptiveAvgPool2d(1, 1), 19, x);
        }));
        k.add(Arguments.of("batchNorm2d training, 32×64×14×14", (Supplier<Tensor[]>) () -> {
            BatchNorm bn = BatchNorm.of2d(64);
            Tensor x = leaf(20, 32, 64, 14, 14);
            Tensor[] r = forwardBackward(bn.call(x), 21, x, bn.parameters().get(0), bn.parameters().get(1));
            Tensor[] withStats = java.util.Arrays.copyOf(r, r.length + 2);
            withStats[r.length] = bn.runningMean();
            withStats[r.length + 1] = bn.runningVar();
            return withStats;
        }));
        k.add(Arguments.of("batchNorm2d evaluation", (Supplier<Tensor[]>) () -> {
            BatchNorm bn = BatchNorm.of2d(64);
            bn.eval();
            Tensor x = leaf(22, 32, 64, 14, 14);
            return forwardBackward(bn.call(x), 23, x);
        }));
        k.add(Arguments.of("element-wise: exp, gelu, mul, add, pow on 2²⁰ values", (Supplier<Tensor[]>) () -> {
            Tensor a = leaf(24, 1024, 1024);
            Tensor b = leaf(25, 1024, 1024);
            return forwardBackward(a.exp().mul(b.gelu()).add(a.pow(2f)).relu(), 26, a, b);
        }));
        k.add(Arguments.of("reductions: sum over rows and columns, softmax, logSumExp", (Supplier<Tensor[]>) () -> {
            Tensor a = leaf(27, 2048, 512);
            Tensor out = a.sum(0, true).add(a.sum(1, true).sum()).add(a.softmax(1).mul(3f).sum(0, true)).add(a.logSumExp(1, false).sum());
            return forwardBackward(out, 28, a);
        }));
        k.add(Arguments.of("Adam, 100 steps on 2²⁰ weights", (Supplier<Tensor[]>) () -> optimizerRun(true)));
        k.add(Arguments.of("SGD with momentum, 100 steps on 2²⁰ weights", (Supplier<Tensor[]>) () -> optimizerRun(false)));
        k.add(Arguments.of("SparseAdam, 30 steps of 8,192 rows (with repeats) of a 2¹⁶ × 16 table", (Supplier<Tensor[]>) () -> sparseAdamRun()));
        return k.stream();
    }

    private static Tensor[] sparseAdamRun() {
        int rows = 1 << 16;
        int dim = 16;
        Tensor p = Tensor.randn(new Rng(31), rows, dim).requiresGrad(true);
        var opt = new Adam(List.of(p), Adam.Options.adam().withLr(1e-2));
        Rng g = new Rng(32);
        for (int step = 0; step < 30; step++) {
            opt.zeroGrad();
            int[] ids = new int[8192];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (int) (g.nextDouble() * g.nextDouble() * rows); // crowded at the low rows: repeats
            }
            p.setSparseGrad(RowSparseGrad.of(rows, dim, ids, Tensor.randn(g, ids.length, dim).toArray()));
            opt.step();
        }
        return new Tensor[] {p};
    }

    private static Tensor[] optimizerRun(boolean adam) {
        Tensor p = Tensor.randn(new Rng(29), 1024, 1024).requiresGrad(true);
        var opt = adam ? new Adam(List.of(p), Adam.Options.adamW().withLr(1e-2))
                : new Sgd(List.of(p), Sgd.Options.lr(0.1).withMomentum(0.9).withWeightDecay(1e-3));
        Rng g = new Rng(30);
        for (int step = 0; step < 100; step++) {
            opt.zeroGrad();
            p.setGrad(Tensor.randn(g, 1024, 1024));
            opt.step();
        }
        return new Tensor[] {p};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void oneTwoAndThreeThreadsGiveTheSameBits(String name, Supplier<Tensor[]> kernel) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = run(kernel);
            Parallel.setThreads(2);
            float[] two = run(kernel);
            Parallel.setThreads(3);
            float[] three = run(kernel);
            assertTrue(one.length > 0);
            assertArrayEquals(one, two, name + ": 2 threads");
            assertArrayEquals(one, three, name + ": 3 threads");
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
