package org.omomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.kernel.Gemm;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * The serving plan of a chain of dense layers gives the module's outputs bit for bit (on the
 * vector GEMM), covers only what it can run exactly, and is a snapshot of the weights.
 */
class InferencePlanTest {

    private final String savedBackend = Gemm.backend().name();

    @AfterEach
    void restoreBackend() {
        Gemm.use(savedBackend);
    }

    private static Tensor forward(Module m, Tensor x) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return m.call(x);
        }
    }

    private static void useVectorGemm() {
        assumeTrue(Gemm.names().contains("vector"), "the vector GEMM is not available in this JVM");
        Gemm.use("vector");
    }

    @Test
    void theB2NetworkGivesTheModulesBitsForOneRowAndForBatches() {
        useVectorGemm();
        ModelSpec spec = ModelSpec.mlp(784, new int[] {512, 256}, "relu", 10);
        Module model = spec.build(new Rng(3));
        model.eval();
        InferencePlan plan = InferencePlan.of(model);
        assertNotNull(plan);
        assertEquals(784, plan.inFeatures());
        assertEquals(10, plan.outFeatures());
        // 1–4 rows go one by one through the packed rows; more through the GEMM on prepacked weights.
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 13, 22, 64, 257}) {
            Tensor x = Tensor.randn(new Rng(rows), rows, 784);
            assertArrayEquals(forward(model, x).toArray(), plan.forward(x).toArray(), rows + " rows");
        }
        Tensor one = Tensor.randn(new Rng(9), 784);
        assertArrayEquals(forward(model, one.reshape(1, 784)).toArray(), plan.forward(one).toArray(), "a single vector");
    }

    @Test
    void layersWithoutBiasIdentityAndEvalDropoutAreCovered() {
        useVectorGemm();
        Rng rng = new Rng(4);
        Sequential model = new Sequential(new Dense(30, 20, false, rng, org.omomi.init.Init.heNormal(), null), Activation.relu(),
                new Dropout(0.5f, rng), new Identity(), new Dense(20, 5, rng));
        model.eval();
        InferencePlan plan = InferencePlan.of(model);
        assertNotNull(plan);
        Tensor x = Tensor.randn(new Rng(5), 3, 30);
        assertArrayEquals(forward(model, x).toArray(), plan.forward(x).toArray());
    }

    @Test
    void anythingElseHasNoPlan() {
        Rng rng = new Rng(6);
        assertNull(InferencePlan.of(new Sequential(new Dense(4, 4, rng), Activation.sigmoid(), new Dense(4, 2, rng))), "sigmoid");
        assertNull(InferencePlan.of(new Sequential(new Dense(4, 4, rng), new Dropout(0.5f, rng), new Dense(4, 2, rng))), "dropout while training");
        assertNull(InferencePlan.of(new Sequential(Activation.relu(), new Dense(4, 2, rng))), "an activation before any layer");
        Dense hooked = new Dense(4, 2, rng);
        hooked.setForwardHook(t -> t.mul(2f));
        assertNull(InferencePlan.of(new Sequential(new Dense(4, 4, rng), hooked)), "a forward hook");
        Module cnn = ModelSpec.cnn(new int[] {1, 8, 8}, 3).build(rng);
        cnn.eval();
        assertNull(InferencePlan.of(cnn), "convolutions");
    }

    @Test
    void thePlanKeepsTheWeightsItWasMadeFrom() {
        Rng rng = new Rng(7);
        Dense d = new Dense(3, 2, rng);
        InferencePlan plan = InferencePlan.of(d);
        Tensor x = Tensor.randn(rng, 1, 3);
        float[] before = plan.forward(x).toArray();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            d.weight().fill(0f);
        }
        assertArrayEquals(before, plan.forward(x).toArray());
    }

    @Test
    void aPredictorAnswersOneRowAsItAnswersTheBatch() {
        useVectorGemm();
        ModelSpec spec = ModelSpec.mlp(20, new int[] {16}, "relu", 3);
        Module model = spec.build(new Rng(8));
        Predictor p = SavedModel.of(spec, model, Head.multiclass(3), List.of(), null, null).predictor();
        Tensor batch = Tensor.randn(new Rng(10), 9, 20);
        float[] all = p.outputs(Inputs.of(batch)).toArray();
        for (int r = 0; r < 9; r++) {
            float[] one = p.outputs(Inputs.of(batch.slice(0, r, r + 1).contiguous())).toArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(all, r * 3, r * 3 + 3), one, "row " + r);
            assertArrayEquals(p.predict(Inputs.of(batch)).outputs().slice(0, r, r + 1).toArray(), one, "predict, row " + r);
        }
    }

    @Test
    void aPredictorAnswersMoreRowsThanOneSliceAsTheModuleDoes() {
        useVectorGemm();
        ModelSpec spec = ModelSpec.mlp(20, new int[] {16}, "relu", 3);
        Module model = spec.build(new Rng(11));
        Predictor p = SavedModel.of(spec, model, Head.multiclass(3), List.of(), null, null).predictor();
        Tensor batch = Tensor.randn(new Rng(12), 2 * 1024 + 7, 20);
        assertArrayEquals(forward(model, batch).toArray(), p.outputs(Inputs.of(batch)).toArray());
    }
}
