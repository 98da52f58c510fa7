package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.Batch;
import org.omomi.data.InputsDataset;
import org.omomi.io.Json;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Tensor;

/** The step a distributed trainer builds on: gradients of parts of a batch add up to the whole batch's step. */
class TrainStepTest {

    /** A dense tower on floats beside an embedding on ids, joined: both kinds of gradient at once. */
    static final String MODEL = """
            {"format": "omomi.model/2", "name": "mixed", "outputs": 1,
             "inputs": [{"name": "x", "kind": "float", "shape": [3]}, {"name": "ids", "kind": "ids", "shape": []}],
             "nodes": [{"name": "dense", "from": ["x"], "layer": {"type": "dense", "in": 3, "out": 4, "bias": true}},
                       {"name": "emb", "from": ["ids"], "layer": {"type": "embedding", "count": 12, "dim": 4, "sparse": true}},
                       {"name": "score", "from": ["dense", "emb"], "layer": {"type": "dot"}}],
             "output": "score"}""";

    @SuppressWarnings("unchecked")
    static Module model(long seed) {
        return ModelSpec.fromJson((Map<String, Object>) Json.parse(MODEL)).build(new Rng(seed));
    }

    static Batch batch(long seed, int n) {
        Rng rng = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(12);
        }
        return new InputsDataset(Inputs.of("x", Tensor.randn(rng, n, 3)).with("ids", IntTensor.vector(ids)),
                Tensor.bernoulli(rng, 0.5f, n)).all();
    }

    @Test
    void gradientsOfTwoHalvesAppliedTogetherTakeTheWholeBatchsStep() {
        Batch whole = batch(1, 16);
        Module a = model(3);
        Module b = model(3);
        TrainStep local = new TrainStep(a, Head.binary(), new Sgd(a.parameters(), Sgd.Options.lr(0.5)), 0);
        TrainStep split = new TrainStep(b, Head.binary(), new Sgd(b.parameters(), Sgd.Options.lr(0.5)), 0);
        local.run(whole);
        int[] first = new int[10];
        int[] second = new int[6];
        for (int i = 0; i < 16; i++) {
            if (i < 10) {
                first[i] = i;
            } else {
                second[i - 10] = i;
            }
        }
        InputsDataset d = new InputsDataset(whole.inputs(), whole.y());
        Gradients sum = split.gradients(d.get(first)).plus(split.gradients(d.get(second)));
        assertEquals(16, sum.examples());
        assertSame(null, sum.dense().get(1 + 1), "the table's gradient travels row-sparse, not dense");
        split.apply(sum);
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toArray(), b.stateDict().get(k).toArray(), 1e-6f, k));
    }

    @Test
    void zeroIsTheIdentityAndPlusIsAssociative() {
        // Values that add exactly in float, so associativity can be checked bit for bit.
        Tensor g1 = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor g2 = Tensor.of(new float[] {0.5f, -4, 8}, 3);
        Tensor g3 = Tensor.of(new float[] {-1.25f, 16, 0}, 3);
        RowSparseGrad s1 = RowSparseGrad.of(5, 2, new int[] {4, 1}, new float[] {1, 2, 3, 4});
        RowSparseGrad s2 = RowSparseGrad.of(5, 2, new int[] {1}, new float[] {0.5f, 0.25f});
        RowSparseGrad s3 = RowSparseGrad.of(5, 2, new int[] {0, 4}, new float[] {8, 8, -1, -2});
        Gradients a = Gradients.of(java.util.Arrays.asList(g1, null), java.util.Arrays.asList(null, s1), 1.5, 2);
        Gradients b = Gradients.of(java.util.Arrays.asList(g2, null), java.util.Arrays.asList(null, s2), 2.5, 3);
        Gradients c = Gradients.of(java.util.Arrays.asList(g3, null), java.util.Arrays.asList(null, s3), -1, 4);
        Gradients zero = Gradients.zero(2);
        assertEqual(a, zero.plus(a));
        assertEqual(a, a.plus(zero));
        assertEqual(a.plus(b).plus(c), a.plus(b.plus(c)));
        RowSparseGrad merged = a.plus(b).plus(c).sparse().get(1);
        assertArrayEquals(new int[] {0, 1, 4}, merged.indices(), "merged sparsely: each row once");
        assertArrayEquals(new float[] {8, 8, 3.5f, 4.25f, 0, 0}, merged.values());
        assertNull(a.plus(b).dense().get(1));
    }

    private static void assertEqual(Gradients x, Gradients y) {
        assertEquals(x.examples(), y.examples());
        assertEquals(x.lossSum(), y.lossSum());
        for (int i = 0; i < x.dense().size(); i++) {
            if (x.dense().get(i) == null) {
                assertNull(y.dense().get(i));
            } else {
                assertArrayEquals(x.dense().get(i).toArray(), y.dense().get(i).toArray());
            }
            if (x.sparse().get(i) == null) {
                assertNull(y.sparse().get(i));
            } else {
                assertArrayEquals(x.sparse().get(i).coalesce().toDense().toArray(), y.sparse().get(i).coalesce().toDense().toArray());
            }
        }
    }

    @Test
    void callbacksSeeEveryStepAndEpochInOrder() throws Exception {
        Module m = model(4);
        StringBuilder log = new StringBuilder();
        Callback spy = new Callback() {
            @Override
            public void onTrainStart(TrainContext c) {
                log.append("start;");
            }

            @Override
            public void onStepEnd(TrainContext c, StepResult r) {
                log.append("s").append(c.step()).append(';');
            }

            @Override
            public EpochRecord annotate(TrainContext c, EpochRecord r) {
                log.append("a").append(r.epoch()).append(';');
                return r;
            }

            @Override
            public void onEpochEnd(TrainContext c, EpochRecord r) {
                log.append("e").append(r.epoch()).append(';');
                if (r.epoch() == 2) {
                    c.stop("enough");
                }
            }

            @Override
            public void onTrainEnd(TrainContext c) {
                log.append("end");
            }
        };
        Batch all = batch(2, 8);
        Trainer.Result r = new Trainer(m, Head.binary(), new Sgd(m.parameters(), Sgd.Options.lr(0.1)), null,
                new Trainer.Options(5, 4, false, 1, 0, 0, 0, false), null).addCallback(spy)
                .fit(new InputsDataset(all.inputs(), all.y()), null);
        assertEquals("start;s1;s2;a1;e1;s3;s4;a2;e2;end", log.toString());
        assertEquals("enough", r.stopReason());
        assertEquals(2, r.epochs());
        assertEquals(List.of(1L, 2L), r.history().stream().map(EpochRecord::epoch).toList());
    }
}
