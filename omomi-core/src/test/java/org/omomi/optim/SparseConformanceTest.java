package org.omomi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omomi.conformance.Fixtures.assertClose;
import static org.omomi.conformance.Fixtures.floats;
import static org.omomi.conformance.Fixtures.ints;
import static org.omomi.conformance.Fixtures.list;
import static org.omomi.conformance.Fixtures.map;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.conformance.Fixtures;
import org.omomi.init.Init;
import org.omomi.nn.Embedding;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Sparse embedding gradients against PyTorch ({@code conformance/sparse_fixtures.py}): an
 * {@code nn.Embedding(sparse=True)} trained with SGD, SparseAdam and Adagrad, replayed step by step.
 */
class SparseConformanceTest {

    static Stream<Arguments> cases() {
        Map<String, Function<List<Tensor>, Optimizer>> make = Map.of(
                "sgd", p -> new Sgd(p, Sgd.Options.lr(0.05)),
                "sparse_adam", p -> new Adam(p, Adam.Options.adam().withLr(0.05)),
                "sparse_adam_betas", p -> new Adam(p, Adam.Options.adam().withLr(0.02).withBetas(0.8, 0.99).withEps(1e-6)),
                "adagrad", p -> new Adagrad(p, Adagrad.Options.defaults().withLr(0.3)),
                "adagrad_lr_decay", p -> new Adagrad(p, Adagrad.Options.defaults().withLr(0.3).withLrDecay(0.01).withInitialAccumulator(0.1)));
        return list(Fixtures.load("sparse.json").get("cases")).stream().map(o -> {
            Map<String, Object> c = map(o);
            return Arguments.of(c.get("name"), c, make.get((String) c.get("name")));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replaysPyTorchSteps(String name, Map<String, Object> c, Function<List<Tensor>, Optimizer> make) {
        int rows = ints(List.of(c.get("rows")))[0];
        int dim = ints(List.of(c.get("dim")))[0];
        int batch = ints(List.of(c.get("batch")))[0];
        int fields = ints(List.of(c.get("fields")))[0];
        Embedding emb = new Embedding(rows, dim, true, new Rng(1), Init.zeros());
        System.arraycopy(floats(c.get("initial")), 0, emb.weight().array(), 0, rows * dim);
        Optimizer opt = make.apply(emb.parameters());
        List<Object> steps = list(c.get("steps"));
        for (int t = 0; t < steps.size(); t++) {
            Map<String, Object> s = map(steps.get(t));
            IntTensor ids = IntTensor.of(ints(s.get("ids")), batch, fields);
            Tensor target = Tensor.of(floats(s.get("target")), batch, fields, dim);
            opt.zeroGrad();
            emb.lookup(ids).sub(target).pow(2f).sum().backward();
            assertNull(emb.weight().grad(), "a sparse lookup leaves no dense gradient");
            assertNotNull(emb.weight().sparseGrad());
            opt.step();
            if (t == 0) {
                assertClose(floats(c.get("after_first")), emb.weight().toArray(), name + " after step 1");
            }
        }
        assertClose(floats(c.get("final")), emb.weight().toArray(), name + " after " + steps.size() + " steps");
    }

    @Test
    void sparseGradientEqualsTheDenseOne() {
        Rng rng = new Rng(3);
        Embedding sparse = new Embedding(30, 5, true, rng.split(), Init.normal(0f, 1f));
        Embedding dense = new Embedding(30, 5, false, new Rng(9), Init.zeros());
        System.arraycopy(sparse.weight().toArray(), 0, dense.weight().array(), 0, 150);
        IntTensor ids = IntTensor.of(new int[] {3, 7, 3, 29, 0, 7, 7, 12}, 4, 2);
        Tensor g = Tensor.randn(rng.split(), 4, 2, 5);
        sparse.lookup(ids).mul(g).sum().backward();
        dense.lookup(ids).mul(g).sum().backward();
        assertNull(dense.weight().sparseGrad());
        assertArrayEquals(dense.weight().grad().toArray(), sparse.weight().sparseGrad().toDense().toArray());
        // Coalesced by the lookup itself: each row read once, increasing, repeats summed.
        assertArrayEquals(new int[] {0, 3, 7, 12, 29}, sparse.weight().sparseGrad().indices());
        assertSame(sparse.weight().sparseGrad(), sparse.weight().sparseGrad().coalesce());
    }

    /**
     * An optimizer that says its last step changed only the listed rows ({@code changedOnlyListedRows},
     * which lets the divergence guard read just those rows) must not have moved any other row; SGD
     * with momentum, whose step is dense, must not say so.
     */
    @Test
    void optimizersThatSayTheyChangedOnlyTheListedRowsDid() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                p -> new Adam(p, Adam.Options.adam().withLr(0.1)),
                p -> new Adagrad(p, Adagrad.Options.defaults().withLr(0.3)),
                p -> Sgd.of(p, 0.2),
                p -> new Sgd(p, Sgd.Options.lr(0.2).withMomentum(0.9)),
                p -> new RmsProp(p, RmsProp.Options.defaults()));
        int claims = 0;
        for (Function<List<Tensor>, Optimizer> make : makers) {
            Embedding emb = new Embedding(30, 3, true, new Rng(2), Init.normal(0f, 1f));
            Optimizer opt = make.apply(emb.parameters());
            int[][] ids = {{1, 2, 2}, {7, 1}, {20}};
            for (int[] step : ids) {
                float[] before = emb.weight().toArray();
                opt.zeroGrad();
                emb.lookup(IntTensor.vector(step)).mul(emb.lookup(IntTensor.vector(step))).sum().backward();
                opt.step();
                float[] after = emb.weight().toArray();
                boolean otherMoved = false;
                for (int r = 0; r < 30; r++) {
                    int row = r;
                    if (java.util.Arrays.stream(step).noneMatch(x -> x == row)) {
                        for (int k = 0; k < 3; k++) {
                            otherMoved |= before[r * 3 + k] != after[r * 3 + k];
                        }
                    }
                }
                if (opt.changedOnlyListedRows(emb.weight())) {
                    claims++;
                    assertTrue(!otherMoved, opt.getClass().getSimpleName() + " said only the listed rows changed");
                }
            }
            if (opt instanceof Sgd && opt.groups().get(0).momentum() != 0) {
                assertTrue(!opt.changedOnlyListedRows(emb.weight()), "momentum makes the step dense");
            }
        }
        assertEquals(9, claims, "Adam, Adagrad and plain SGD claim it at each of their three steps");
    }

    @Test
    void untouchedRowsDoNotMove() {
        Embedding emb = new Embedding(100, 4, true, new Rng(5), Init.normal(0f, 1f));
        float[] before = emb.weight().toArray();
        Adam adam = new Adam(emb.parameters(), Adam.Options.adam().withLr(0.1));
        for (int step = 0; step < 3; step++) {
            adam.zeroGrad();
            emb.lookup(IntTensor.vector(4, 50, 4)).sum().backward();
            adam.step();
        }
        float[] after = emb.weight().toArray();
        for (int r = 0; r < 100; r++) {
            boolean touched = r == 4 || r == 50;
            for (int k = 0; k < 4; k++) {
                int i = r * 4 + k;
                assertEquals(touched, before[i] != after[i], "row " + r + (touched ? " should move" : " should stay"));
            }
        }
    }

    @Test
    void idsAboveTwoToTheTwentyFourReachTheirOwnRow() {
        int big = 16_777_217; // 2^24 + 1: as a float it would read 16,777,216
        assertTrue((float) big == 16_777_216f, "the float rounding this test guards against");
        // A table this tall would be 16.7M × 1 floats (67 MB): instead check the lookup addresses
        // rows by int, on a table just tall enough.
        Embedding emb = new Embedding(big + 1, 1, true, new Rng(2), Init.zeros());
        float[] w = emb.weight().array();
        w[big] = 7f;
        w[big - 1] = -3f;
        Tensor out = emb.lookup(IntTensor.vector(big, big - 1, big));
        assertArrayEquals(new float[] {7f, -3f, 7f}, out.toArray());
        out.sum().backward();
        assertArrayEquals(new int[] {big - 1, big}, emb.weight().sparseGrad().coalesce().indices());
        assertArrayEquals(new float[] {1f, 2f}, emb.weight().sparseGrad().coalesce().values());
    }

    @Test
    void sparseAdamRefusesWhatItDoesNotHave() {
        Embedding emb = new Embedding(10, 2, true, new Rng(5), Init.normal(0f, 1f));
        Adam adamW = new Adam(emb.parameters(), Adam.Options.adamW());
        emb.lookup(IntTensor.vector(1)).sum().backward();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, adamW::step);
        assertTrue(e.getMessage().contains("SparseAdam"), e.getMessage());
    }

    @Test
    void clippingCountsRepeatedRowsOnce() {
        Embedding emb = new Embedding(10, 1, true, new Rng(5), Init.zeros());
        emb.lookup(IntTensor.vector(2, 2, 2, 2)).sum().backward(); // row 2's gradient is 4
        double norm = GradClip.byNorm(emb.parameters(), 1.0);
        assertEquals(4.0, norm, 1e-12);
        assertArrayEquals(new float[] {4f / (float) (4 + 1e-6)}, emb.weight().sparseGrad().coalesce().values(), 1e-6f);
    }
}
