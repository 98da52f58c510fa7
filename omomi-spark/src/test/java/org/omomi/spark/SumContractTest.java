package org.omomi.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.tensor.RowSparseGrad;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Gradients;

/**
 * The gradient sum is a reduction in {@code Collector}'s sense: zero is its identity, it is
 * associative (exactly on values whose sums are exact; up to rounding otherwise, and exactly again
 * once {@link TreeSum} fixes the bracketing), and row-sparse table gradients merge sparsely into
 * the sum of their dense forms.
 */
class SumContractTest {

    /** A model of three parameters: a dense [3, 4] weight, a [5] bias that only some parts reach, a 50 × 3 table. */
    static GradientSum part(Rng rng, boolean integers, boolean withBias) {
        float[] w = values(rng, 12, integers);
        int touched = 1 + rng.nextInt(6);
        int[] rows = new int[touched];
        for (int i = 0; i < touched; i++) {
            rows[i] = rng.nextInt(50); // repeats allowed: a batch may look one id up twice
        }
        RowSparseGrad table = RowSparseGrad.of(50, 3, rows, values(rng, touched * 3, integers));
        Gradients g = Gradients.of(Arrays.asList(Tensor.wrap(w, 3, 4), withBias ? Tensor.wrap(values(rng, 5, integers), 5) : null, null),
                Arrays.asList(null, null, table), integers ? rng.nextInt(100) : rng.nextDouble(), 3, 1 + rng.nextInt(9));
        return GradientSum.of(g, List.of(Tensor.wrap(values(rng, 2, true), 2)));
    }

    static float[] values(Rng rng, int n, boolean integers) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = integers ? rng.nextInt(21) - 10 : (float) rng.nextGaussian() * (float) Math.pow(10, rng.nextInt(7) - 3);
        }
        return v;
    }

    static List<float[]> dense(GradientSum s) {
        Gradients g = s.toGradients();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < g.dense().size(); i++) {
            out.add(g.dense().get(i) == null ? null : g.dense().get(i).toArray());
            out.add(g.sparse().get(i) == null ? null : g.sparse().get(i).toDense().toArray());
            out.add(g.sparse().get(i) == null ? null : g.sparse().get(i).values());
        }
        out.add(new float[] {(float) g.lossSum(), (float) g.correct(), g.examples()});
        out.add(s.bufferMean(0));
        return out;
    }

    static void assertSame(GradientSum a, GradientSum b) {
        List<float[]> x = dense(a);
        List<float[]> y = dense(b);
        for (int i = 0; i < x.size(); i++) {
            assertArrayEquals(x.get(i), y.get(i), "slot " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void zeroIsTheIdentity(long seed) {
        GradientSum a = part(new Rng(seed), false, seed % 2 == 0);
        GradientSum zero = GradientSum.zero(3, 1);
        assertSame(a, zero.plus(a));
        assertSame(a, a.plus(zero));
        TreeSum<GradientSum> t = TreeSum.leaf(1, 3, a);
        assertEquals(t.held(), TreeSum.<GradientSum>zero(3).plus(t).held());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void theSumIsAssociativeAndCommutativeOnExactValues(long seed) {
        Rng rng = new Rng(seed);
        GradientSum a = part(rng, true, true);
        GradientSum b = part(rng, true, false);
        GradientSum c = part(rng, true, true);
        assertSame(a.plus(b).plus(c), a.plus(b.plus(c)));
        assertSame(a.plus(b), b.plus(a));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void theSparseMergeIsTheSumOfTheDenseGradients(long seed) {
        Rng rng = new Rng(seed);
        GradientSum a = part(rng, true, true);
        GradientSum b = part(rng, true, true);
        RowSparseGrad sa = a.toGradients().sparse().get(2);
        RowSparseGrad sb = b.toGradients().sparse().get(2);
        RowSparseGrad merged = a.plus(b).toGradients().sparse().get(2);
        float[] expected = sa.toDense().add(sb.toDense()).toArray();
        assertArrayEquals(expected, merged.toDense().toArray());
        // merged sparsely: each touched row listed once, in increasing order
        int[] rows = merged.indices();
        for (int i = 1; i < rows.length; i++) {
            assertEquals(true, rows[i - 1] < rows[i], "rows " + Arrays.toString(rows));
        }
        assertEquals(rows.length, Arrays.stream(sa.indices()).boxed().collect(java.util.stream.Collectors.toSet()).size()
                + Arrays.stream(sb.indices()).filter(r -> Arrays.stream(sa.indices()).noneMatch(q -> q == r)).distinct().count());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 8, 13})
    void theTreeSumGivesTheSameBitsInAnyOrder(int partitions) {
        Rng rng = new Rng(100 + partitions);
        List<GradientSum> leaves = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            leaves.add(part(rng, false, p % 3 != 1));
        }
        GradientSum reference = null;
        boolean plainSumsDiffer = false;
        for (int trial = 0; trial < 12; trial++) {
            int[] order = new Rng(trial).permutation(partitions);
            // random bracketing: merge random neighbours of a list of partial sums until one is left
            List<TreeSum<GradientSum>> pending = new ArrayList<>();
            for (int p : order) {
                pending.add(TreeSum.leaf(p, partitions, leaves.get(p)));
            }
            Rng pick = new Rng(1000 + trial);
            while (pending.size() > 1) {
                int i = pick.nextInt(pending.size() - 1);
                pending.set(i, pending.get(i).plus(pending.remove(i + 1)));
            }
            GradientSum total = pending.get(0).total();
            if (reference == null) {
                reference = total;
            } else {
                assertSame(reference, total);
            }
            GradientSum plain = leaves.get(order[0]);
            for (int k = 1; k < partitions; k++) {
                plain = plain.plus(leaves.get(order[k]));
            }
            plainSumsDiffer |= !Arrays.equals(dense(plain).get(0), dense(reference).get(0));
        }
        if (partitions >= 5) {
            // what the tree is for: summing in arrival order would not give the same bits
            assertEquals(true, plainSumsDiffer, "plain sums in different orders happened to agree");
        }
    }

    @org.junit.jupiter.api.Test
    void anIncompleteOrDoubleCountedSumIsRefused() {
        Rng rng = new Rng(5);
        TreeSum<GradientSum> a = TreeSum.leaf(0, 3, part(rng, true, true));
        assertThrows(IllegalStateException.class, a::total);
        assertThrows(IllegalStateException.class, () -> a.plus(a));
        assertThrows(IndexOutOfBoundsException.class, () -> TreeSum.leaf(3, 3, part(rng, true, true)));
    }

    @org.junit.jupiter.api.Test
    void aSumSurvivesJavaSerialization() throws IOException, ClassNotFoundException {
        Rng rng = new Rng(9);
        TreeSum<GradientSum> t = TreeSum.leaf(0, 2, part(rng, false, true)).plus(TreeSum.leaf(1, 2, part(rng, false, false)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            TreeSum<GradientSum> back = (TreeSum<GradientSum>) in.readObject();
            assertSame(t.total(), back.total());
        }
        assertNotEquals(0, bytes.size());
    }
}
