package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;

/**
 * Matrix factorization on explicit ratings generated as r = 3.5 + b_u + b_i + ⟨p_u, v_i⟩/rank + ε
 * with ε ~ N(0, 0.5²): its test RMSE comes within 10% of the planted noise, the RMSE of the true
 * model, and far below the training mean's.
 *
 * <p>Why these sizes: the error a fitted model adds to the noise is about σ²·(d/n_u + d/n_i) for d
 * factors and n ratings per user and item (each user's vector is a regression on their ratings),
 * so within 10% (RMSE ≤ 1.1σ, i.e. d/n ≲ 0.2) needs many ratings per factor: 1,000 users × 200
 * items with 80 ratings a user, 3 planted dimensions, and a mild taste selection (β = 1; a strong
 * one rates only what users like, which leaves the factors poorly determined — an exact ALS solve
 * reaches 1.2σ on the β = 3 data of the implicit tests).
 */
class ExplicitRatingsTest {

    @Test
    void matrixFactorizationComesWithinTenPercentOfThePlantedNoise() throws Exception {
        Parallel.setThreads(1);
        double noise = 0.5;
        Synthetic.Options o = Synthetic.Options.of(1000, 200, 5).withRank(3).withPerUser(80).withBeta(1).withRatings(noise);
        Generated.Setup s = Generated.of(o, 0);
        Training.Trained mf = Training.train(s.data(), s.split(), Training.Options.defaults(ModelKind.MF).withDim(3), null);
        double rmse = Evaluator.rmse(mf.factors(), s.data(), s.split());
        double mean = s.data().meanRating();
        double meanRmse = Evaluator.rmse(new Factors(1, new float[s.data().userCount()], new float[s.data().itemCount()],
                new float[s.data().itemCount()], new float[s.data().userCount()], (float) mean), s.data(), s.split());
        System.out.printf(Locale.ROOT, "MF test RMSE %.4f (noise σ %.2f, ratio %.3f); the mean's %.4f; validation %s%n", rmse, noise,
                rmse / noise, meanRmse, mf.result().val());
        assertTrue(rmse <= 1.1 * noise, "RMSE " + rmse + " is more than 10% above the noise " + noise);
        assertTrue(rmse < 0.7 * meanRmse, "MF " + rmse + " vs the mean " + meanRmse);
    }

    @Test
    void matrixFactorizationRefusesImplicitFeedback() {
        Generated.Setup s = Generated.of(Synthetic.Options.of(50, 40, 1).withPerUser(10), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.train(s.data(), s.split(), Training.Options.defaults(ModelKind.MF).withEpochs(1), null));
        assertTrue(e.getMessage().contains("every rating here is 1"), e.getMessage());
    }
}
