package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.data.Batch;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.InferencePlan;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Whole training steps, through {@link TrainStep} as the Trainer and the benchmarks run them, give
 * bit-identical weights on 1, 2 and 3 threads. Each model is sized so that every kernel the speed
 * work touched really splits its work: the GEMMs are above their 4 MFLOP threshold, the fused
 * conv2d → ReLU → max pool and the pooling run over more planes than their grain, batch norm over
 * several channels, the optimizers' parallel updates over more weights than their 2¹⁵ grain, and
 * the weight-gradient buffers that a step reuses are reused (several steps). Kernel-level checks
 * of the same kind are in core's {@code ParallelDeterminismTest} and {@code GemmConformance}; this
 * is the end-to-end one.
 */
class TrainingThreadCountTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** One model to train: how to build it, its optimizer, its input width and batch size. */
    record Recipe(String name, ModelSpec spec, Function<Module, Optimizer> optimizer, int width, int batch, int steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> recipes() {
        List<Arguments> r = new ArrayList<>();
        // B2's MLP: 256×784×512 is 206 MFLOP; ReLU on 256×512 values is twice the element-wise grain.
        r.add(Arguments.of(new Recipe("B2 MLP 784-512-256-10, Adam, batch 256",
                ModelSpec.mlp(784, new int[] {512, 256}, "relu", 10),
                m -> new Adam(m.parameters(), Adam.Options.adam().withLr(1e-3)), 784, 256, 3)));
        // B3's CNN: the first two conv → ReLU → pool chains run fused (Sequential), 32 images split.
        r.add(Arguments.of(new Recipe("B3 CNN (fused conv+ReLU+pool), Adam, batch 32",
                ModelSpec.cnn(new int[] {1, 28, 28}, 10),
                m -> new Adam(m.parameters(), Adam.Options.adamW().withLr(1e-3)), 784, 32, 3)));
        // Batch norm in training mode, residual additions, global pooling, SGD with momentum.
        r.add(Arguments.of(new Recipe("ResNet-8 width 16 (batch norm), SGD momentum, batch 16",
                ModelSpec.resnet(8, 16, new int[] {1, 28, 28}, 10, true),
                m -> new Sgd(m.parameters(), Sgd.Options.lr(0.05).withMomentum(0.9).withWeightDecay(1e-4)), 784, 16, 3)));
        return r.stream();
    }

    /** Trains a fresh model from seed 11 for the recipe's steps; returns its state dict, copied. */
    static Map<String, float[]> train(Recipe recipe, int threads) {
        Parallel.setThreads(threads);
        Module model = recipe.spec().build(new Rng(11));
        TrainStep step = new TrainStep(model, Head.multiclass(10), recipe.optimizer().apply(model), 0);
        Rng data = new Rng(12);
        for (int s = 0; s < recipe.steps(); s++) {
            float[] labels = new float[recipe.batch()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.nextInt(10);
            }
            Tensor x = Tensor.rand(data, recipe.batch(), recipe.width());
            step.run(new Batch(x, Tensor.of(labels, labels.length)));
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> state.put(k, v.toArray().clone()));
        return state;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void oneTwoAndThreeThreadsTrainTheSameWeights(Recipe recipe) {
        Map<String, float[]> one = train(recipe, 1);
        Map<String, float[]> two = train(recipe, 2);
        Map<String, float[]> three = train(recipe, 3);
        Map<String, float[]> start = initial(recipe);
        assertEquals(one.keySet(), two.keySet());
        boolean moved = false;
        for (String k : one.keySet()) {
            assertArrayEquals(one.get(k), two.get(k), recipe + ": " + k + ", 1 vs 2 threads");
            assertArrayEquals(one.get(k), three.get(k), recipe + ": " + k + ", 1 vs 3 threads");
            moved |= !java.util.Arrays.equals(one.get(k), start.get(k));
        }
        assertTrue(moved, recipe + ": training must change the weights");
    }

    private static Map<String, float[]> initial(Recipe recipe) {
        Map<String, float[]> state = new LinkedHashMap<>();
        recipe.spec().build(new Rng(11)).stateDict().forEach((k, v) -> state.put(k, v.toArray().clone()));
        return state;
    }

    /**
     * The serving path (InferencePlan's packed DenseKernels, batch ≤ 4) gives the module's bits on
     * 1, 2 and 3 threads, on layers wide enough that the module's own GEMM splits even at 4 rows
     * (4×2048×1024 is 17 MFLOP): the plan never splits, the module's GEMM does, and the two agree.
     */
    @ParameterizedTest(name = "{0} rows")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 4})
    void theServingPlanMatchesTheModuleOnAnyThreadCount(int rows) {
        // The plan reproduces the vector GEMM's sums; other backends add in another order.
        assumeTrue(Gemm.names().contains("vector"), "the vector GEMM is not available in this JVM");
        String saved = Gemm.backend().name();
        Gemm.use("vector");
        try {
            servingPlanOnThreads(rows);
        } finally {
            Gemm.use(saved);
        }
    }

    private static void servingPlanOnThreads(int rows) {
        Module model = ModelSpec.mlp(2048, new int[] {1024, 512}, "relu", 10).build(new Rng(5));
        model.eval();
        InferencePlan plan = InferencePlan.of(model);
        assertNotNull(plan);
        Tensor x = Tensor.randn(new Rng(6), rows, 2048);
        float[] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] viaModule;
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                viaModule = model.call(x).toArray();
            }
            float[] viaPlan = plan.forward(x).toArray();
            assertArrayEquals(viaModule, viaPlan, threads + " thread(s): plan vs module");
            if (reference == null) {
                reference = viaPlan;
                assertFalse(java.util.Arrays.equals(reference, new float[reference.length]), "outputs must not be all zero");
            }
            assertArrayEquals(reference, viaPlan, threads + " thread(s) vs 1");
        }
    }
}
