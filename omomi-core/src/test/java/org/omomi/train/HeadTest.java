package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.data.Batch;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** A binary head counts its correct predictions as its predictions compared with the targets do. */
class HeadTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void binaryCorrectCountsPredictionsEqualToTargets(long seed) {
        Rng rng = new Rng(seed);
        int n = 1 + rng.nextInt(3000);
        float[] z = Tensor.randn(rng, n).toArray();
        // the edges: a logit of exactly 0 predicts 0, NaN predicts 0, targets that are neither 0 nor 1 never match
        z[0] = 0f;
        if (n > 2) {
            z[1] = Float.NaN;
            z[2] = -0f;
        }
        float[] y = Tensor.bernoulli(rng, 0.5f, n).toArray();
        if (n > 3) {
            y[3] = 0.5f;
        }
        Tensor outputs = Tensor.of(z, n, 1);
        Batch batch = new Batch(Tensor.zeros(n, 1), Tensor.of(y, n));
        Head head = Head.binary();
        double want;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            want = head.predictions(outputs).eq(batch.y()).sum().item();
        }
        assertEquals(want, head.correct(outputs, batch));
    }
}
