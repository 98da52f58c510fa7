package org.omomi.tensor;

import org.omomi.kernel.Loops;
import org.omomi.kernel.Parallel;

/**
 * The body of {@link Tensor#pairwiseInteractions}, documented there: one pass over the field
 * vectors forward and one backward. As a composition (a sum over the fields, two squares, a
 * difference, a sum and a half) it made five tensors of the vectors' size and summed three
 * gradients back into them, a fifth of a DeepFM step beside its matrix products.
 */
final class PairwiseInteractions {

    private PairwiseInteractions() {}

    static Tensor of(Tensor vectors) {
        if (vectors.dim() != 3) {
            throw new IllegalArgumentException("pairwise interactions need field vectors [N, F, k], got " + java.util.Arrays.toString(vectors.shape()));
        }
        int n = vectors.size(0);
        int fields = vectors.size(1);
        int k = vectors.size(2);
        int per = fields * k;
        float[] v = vectors.denseData();
        float[] out = new float[n];
        float[] rounded = new float[n * k]; // s_k = Σ_f v_fk per row, the backward's only need
        Parallel.forRows(n, per, (r0, r1) -> {
            double[] sums = new double[k];
            for (int r = r0; r < r1; r++) {
                int base = r * per;
                java.util.Arrays.fill(sums, 0);
                double squares = 0;
                for (int f = 0; f < fields; f++) {
                    int row = base + f * k;
                    for (int j = 0; j < k; j++) {
                        double x = v[row + j];
                        sums[j] += x;
                        squares += x * x;
                    }
                }
                double squaredSums = 0;
                for (int j = 0; j < k; j++) {
                    squaredSums += sums[j] * sums[j];
                    rounded[r * k + j] = (float) sums[j];
                }
                // In double: the two terms are of one size and their difference can be far smaller.
                out[r] = (float) (0.5 * (squaredSums - squares));
            }
        });
        Tensor result = new Tensor(out, new int[] {n, 1});
        if (!Tensor.tracks(vectors)) {
            return result;
        }
        return Tensor.record(result, "pairwiseInteractions", g -> {
            float[] gv = g.toArray();
            float[] back = new float[n * per];
            // d/dv_fk of ½(Σ_k s_k² − Σ_fk v_fk²) = s_k − v_fk, in float as PyTorch's composition.
            Parallel.forRows(n, per, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    for (int f = 0; f < fields; f++) {
                        Loops.scaledDifference(gv[r], rounded, r * k, v, r * per + f * k, back, r * per + f * k, k);
                    }
                }
            });
            return new Tensor[] {new Tensor(back, vectors.shape())};
        }, vectors);
    }
}
