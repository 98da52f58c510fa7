package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Forward semantics: values, shapes, views and errors. */
class TensorTest {

    private static Tensor m23() {
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    private static void assertValues(float[] want, Tensor t) {
        assertArrayEquals(want, t.toArray(), 1e-6f, t.toString());
    }

    @Test
    void creationAndAccess() {
        Tensor t = m23();
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(6, t.numel());
        assertEquals(6f, t.get(1, 2));
        assertEquals(3.5f, Tensor.scalar(3.5f).item());
        assertValues(new float[] {0, 1, 2}, Tensor.arange(3));
        assertValues(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensor.linspace(0, 1, 5));
        assertValues(new float[] {1, 0, 0, 1}, Tensor.eye(2));
        assertValues(new float[] {0, 1, 0, 0, 0, 1, 1, 0, 0}, Tensor.oneHot(new int[] {1, 2, 0}, 3));
        float[] shared = {1, 2};
        Tensor w = Tensor.wrap(shared, 2);
        shared[0] = 9;
        assertEquals(9f, w.get(0));
        Tensor c = Tensor.of(shared, 2);
        shared[1] = 7;
        assertEquals(2f, c.get(1), "of copies");
    }

    @Test
    void viewsShareStorage() {
        Tensor t = m23();
        Tensor tt = t.t();
        assertArrayEquals(new int[] {3, 2}, tt.shape());
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, tt);
        assertTrue(!tt.isContiguous());
        assertSame(t.data, tt.data);
        assertValues(new float[] {2, 5}, t.slice(1, 1, 2).reshape(2));
        assertValues(new float[] {1, 3, 4, 6}, t.slice(1, 0, 3, 2));
        assertValues(new float[] {4, 5, 6}, t.select(0, -1));
        assertValues(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, t.expand(2, 2, 3));
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, tt.contiguous());
        assertArrayEquals(new int[] {3, 2}, t.reshape(3, -1).shape());
        assertArrayEquals(new int[] {2, 1, 3}, t.unsqueeze(1).shape());
        assertArrayEquals(new int[] {6}, t.flatten().shape());
        Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(13f, p.get(1, 1, 0)); // element [1][0][1] of the original
    }

    @Test
    void reshapeOfANonContiguousViewCopies() {
        Tensor tt = m23().t();
        Tensor r = tt.reshape(6);
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, r);
    }

    @Test
    void broadcastingArithmetic() {
        Tensor t = m23();
        assertValues(new float[] {11, 22, 33, 14, 25, 36}, t.add(Tensor.vector(10, 20, 30)));
        assertValues(new float[] {0, 1, 2, 2, 3, 4}, t.sub(Tensor.of(new float[] {1, 2}, 2, 1)));
        assertValues(new float[] {2, 4, 6, 8, 10, 12}, t.mul(2f));
        assertValues(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, t.div(2f));
        assertValues(new float[] {1f / 3, 2f / 3, 1, 4f / 3, 5f / 3, 2}, t.div(3f));
        assertValues(new float[] {1, 4, 9, 16, 25, 36}, t.pow(2f));
        assertValues(new float[] {3, 3, 3, 4, 5, 6}, t.maximum(Tensor.scalar(3)));
        assertValues(new float[] {0, 0, 1, 1, 1, 1}, t.gt(2.5f));
        assertValues(new float[] {-1, -2, -3, 4, 5, 6}, Tensor.where(t.gt(3f), t, t.neg()));
        assertValues(new float[] {0, 0, 0, 4, 5, 6}, Tensor.where(t.gt(3f), t, Tensor.scalar(0)));
        // Broadcasting a transposed view against a row.
        assertValues(new float[] {2, 6, 3, 7, 4, 8}, t.t().add(Tensor.vector(1, 2)));
    }

    @Test
    void unaryFunctions() {
        Tensor x = Tensor.vector(-2, -0.5f, 0, 0.5f, 2);
        assertValues(new float[] {0, 0, 0, 0.5f, 2}, x.relu());
        assertValues(new float[] {2, 0.5f, 0, 0.5f, 2}, x.abs());
        assertValues(new float[] {-1, -0.5f, 0, 0.5f, 1}, x.clamp(-1, 1));
        float[] sig = x.sigmoid().toArray();
        for (int i = 0; i < 5; i++) {
            float v = x.get(i);
            assertEquals(1 / (1 + Math.exp(-v)), sig[i], 1e-7);
            assertEquals(Math.tanh(v), x.tanh().get(i), 1e-7);
            assertEquals(Math.exp(v), x.exp().get(i), 1e-6);
        }
        assertEquals(0.8427007929497149, Tensor.scalar(1).erf().item(), 1e-7);
        assertEquals(-0.9953222650189527, Tensor.scalar(-2).erf().item(), 1e-7);
        // Sigmoid of extreme logits stays finite and exact at the ends.
        assertValues(new float[] {0, 1}, Tensor.vector(-1e4f, 1e4f).sigmoid());
    }

    @Test
    void reductions() {
        Tensor t = m23();
        assertEquals(21f, t.sum().item());
        assertValues(new float[] {5, 7, 9}, t.sum(0, false));
        assertValues(new float[] {6, 15}, t.sum(1, false));
        assertArrayEquals(new int[] {2, 1}, t.sum(1, true).shape());
        assertValues(new float[] {2, 5}, t.mean(1, false));
        assertValues(new float[] {4, 5, 6}, t.max(0, false));
        assertValues(new float[] {1, 4}, t.min(1, false));
        assertValues(new float[] {2, 2}, t.argmax(1, false));
        assertEquals(5f, t.argmax().item());
        assertValues(new float[] {1, 1}, t.var(new int[] {1}, 1, false));
        assertValues(new float[] {2f / 3, 2f / 3}, t.var(new int[] {1}, 0, false));
        // Reducing a middle axis.
        Tensor cube = Tensor.arange(24).reshape(2, 3, 4);
        assertValues(new float[] {12, 15, 18, 21, 48, 51, 54, 57}, cube.sum(1, false));
        assertValues(new float[] {8, 9, 10, 11, 20, 21, 22, 23}, cube.max(1, false));
        assertValues(new float[] {3, 3, 3, 3, 3, 3}, cube.argmax(2, false));
        // logSumExp and softmax are stable for large inputs.
        Tensor big = Tensor.vector(1000, 1000);
        assertEquals(1000 + Math.log(2), big.logSumExp(0, false).item(), 1e-3);
        assertValues(new float[] {0.5f, 0.5f}, big.softmax(0));
        assertValues(new float[] {Float.NEGATIVE_INFINITY, 0}, Tensor.vector(Float.NEGATIVE_INFINITY, 3).logSoftmax(0));
    }

    @Test
    void nanPropagatesThroughMaxAndArgmaxPointsAtIt() {
        Tensor t = Tensor.vector(1, Float.NaN, 3);
        assertTrue(Float.isNaN(t.max().item()));
        assertEquals(1f, t.argmax().item());
        assertTrue(Float.isNaN(t.relu().get(1)));
    }

    @Test
    void matmulAgainstNaiveProduct() {
        Rng rng = new Rng(3);
        Tensor a = Tensor.randn(rng, 2, 3, 4);
        Tensor b = Tensor.randn(rng, 4, 5);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 3, 5}, c.shape());
        for (int z = 0; z < 2; z++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    double s = 0;
                    for (int p = 0; p < 4; p++) {
                        s += a.get(z, i, p) * b.get(p, j);
                    }
                    assertEquals(s, c.get(z, i, j), 1e-5);
                }
            }
        }
        // Transposed views and vectors.
        Tensor m = Tensor.randn(rng, 4, 3);
        assertValues(m.t().contiguous().matmul(m).toArray(), m.t().matmul(m));
        Tensor v = Tensor.vector(1, 2, 3);
        assertArrayEquals(new int[] {4}, m.matmul(v).shape());
        assertEquals(14f, v.matmul(v).item(), 1e-6);
        assertArrayEquals(new int[0], v.matmul(v).shape());
        // A broadcast (stride-0) operand is handled too.
        Tensor row = Tensor.vector(1, 2).reshape(1, 2).expand(3, 2);
        assertValues(new float[] {5, 5, 5}, row.matmul(Tensor.vector(1, 2)));
    }

    @Test
    void movementOperations() {
        Tensor a = m23();
        Tensor b = Tensor.of(new float[] {7, 8, 9}, 1, 3);
        assertValues(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Tensor.cat(0, a, b));
        assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(0, a, a).shape());
        assertValues(new float[] {0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0}, a.pad(new int[] {1, 0}, new int[] {0, 1}, 0f));
        assertValues(new float[] {4, 5, 6, 1, 2, 3, 4, 5, 6}, a.indexSelect(0, new int[] {1, 0, 1}));
        assertValues(new float[] {3, 1, 5, 5}, a.gather(1, Tensor.of(new float[] {2, 0, 1, 1}, 2, 2)));
    }

    @Test
    void shapeErrorsNameTheOperationAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertEquals("matmul: shapes [2, 3] and [4, 5] do not match (3 ≠ 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(4)));
        assertEquals("add: shapes [2, 3] and [4] cannot be broadcast together", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.mul(b));
        assertTrue(e.getMessage().startsWith("mul: shapes [2, 3] and [4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, a, Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().startsWith("cat: shapes [2, 3] and [2, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.expand(2, 4));
        assertEquals("expand: cannot expand [2, 3] to [2, 4]", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.indexSelect(0, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> a.sum(2, false));
    }

    @Test
    void inPlaceChangesAreRefusedOnTheGraphButAllowedWithoutIt() {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> w.fill(0f));
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            w.fill(3f);
            w.slice(0, 1, 2).copyFrom(Tensor.scalar(5f));
        }
        assertValues(new float[] {3, 5}, w);
    }

    @Test
    void bigElementwiseOperationsRunInParallelWithSameResult() {
        Rng rng = new Rng(11);
        Tensor a = Tensor.randn(rng, 300, 1000);
        Tensor b = Tensor.randn(rng, 1000);
        int saved = org.omomi.kernel.Parallel.threads();
        try {
            org.omomi.kernel.Parallel.setThreads(1);
            float[] one = a.add(b).exp().sum(0, false).toArray();
            org.omomi.kernel.Parallel.setThreads(2);
            float[] two = a.add(b).exp().sum(0, false).toArray();
            assertArrayEquals(one, two);
        } finally {
            org.omomi.kernel.Parallel.setThreads(saved);
        }
    }
}
