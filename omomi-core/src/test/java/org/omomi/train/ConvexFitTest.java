package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.omomi.data.TensorDataset;
import org.omomi.kernel.Parallel;
import org.omomi.loss.L1Loss;
import org.omomi.nn.Dense;
import org.omomi.nn.Penalty;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.testing.ExactFits;
import org.omomi.testing.SyntheticTables;

/**
 * ConvexFit against exact fits computed here in double precision (Newton's method for the
 * logistic likelihood, the normal equations for least squares), on tables drawn from known
 * models ({@link SyntheticTables}): seeds 1–5, 500 to 50,000 rows, 3 to 50 columns (level columns
 * of categorical variables among them from 5 columns on).
 *
 * <p>The smallest true weight of each size is kept above what that many rows can resolve: the
 * standard error of a standardized logistic weight is about 1/√(n·p(1−p)) ≈ 2.5/√n here (0.11 at
 * 500 rows, 0.035 at 5,000, 0.011 at 50,000), and two weights 2× apart must differ by several
 * standard errors for any fit, the exact one included, to order them reliably.
 */
class ConvexFitTest {

    /** rows, columns, smallest true |weight|. */
    static Stream<Arguments> sizes() {
        List<Arguments> out = new ArrayList<>();
        Object[][] sizes = {{500, 3, 0.8}, {500, 8, 0.8}, {5_000, 3, 0.4}, {5_000, 15, 0.4}, {50_000, 15, 0.1}, {50_000, 50, 0.1}};
        for (Object[] s : sizes) {
            for (long seed = 1; seed <= 5; seed++) {
                out.add(Arguments.of(s[0], s[1], s[2], seed));
            }
        }
        return out.stream();
    }

    /** Standardized float inputs of a table, by the training table's means and deviations. */
    private record Prepared(double[] z, Tensor x, int n, int p) {
        static Prepared of(SyntheticTables.Table t, double[][] meanSd) {
            int p = t.design().columns();
            double[] z = ExactFits.standardize(t.x(), t.rows(), p, meanSd);
            float[] f = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                f[i] = (float) z[i];
            }
            return new Prepared(z, Tensor.of(f, t.rows(), p), t.rows(), p);
        }
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** The fitted Dense's weights followed by its bias, in double. */
    private static double[] weights(Dense d) {
        float[] w = d.weight().toArray();
        double[] out = new double[w.length + 1];
        for (int j = 0; j < w.length; j++) {
            out[j] = w[j];
        }
        out[w.length] = d.bias().item();
        return out;
    }

    @ParameterizedTest(name = "logistic: {0} rows, {1} columns, seed {3}")
    @MethodSource("sizes")
    void logisticRegressionMatchesTheExactFitAndTheTrueModel(int rows, int columns, double smallest, long seed) {
        SyntheticTables.Design design = SyntheticTables.design(seed, columns, smallest);
        SyntheticTables.Table train = design.logistic(rows, 1);
        SyntheticTables.Table test = design.logistic(Math.max(5_000, rows / 5), 2);
        double[][] meanSd = ExactFits.standardization(train.x(), rows, columns);
        Prepared tr = Prepared.of(train, meanSd);
        Prepared te = Prepared.of(test, meanSd);

        Dense dense = new Dense(columns, 1, new Rng(seed));
        Sequential model = new Sequential(dense);
        long t0 = System.nanoTime();
        ConvexFit.Result r = ConvexFit.fit(model, Head.binary(), new TensorDataset(tr.x(), Tensor.of(floats(train.y()), rows)), null,
                ConvexFit.Options.defaults());
        double ms = (System.nanoTime() - t0) / 1e6;
        double[] fit = weights(dense);
        double[] exact = ExactFits.logistic(tr.z(), train.y(), rows, columns, 0);

        float[] labels = floats(test.y());
        double aucFit = Metrics.rocAuc(floats(ExactFits.predict(te.z(), te.n(), columns, fit)), labels);
        double aucExact = Metrics.rocAuc(floats(ExactFits.predict(te.z(), te.n(), columns, exact)), labels);
        double aucTrue = Metrics.rocAuc(floats(test.eta()), labels);
        String figures = String.format(Locale.ROOT,
                "logistic %d×%d seed %d: %s; %d iterations, %d evaluations, %.0f ms; test AUC fit %.5f exact %.5f true %.5f; max |w − w_exact| %.2e",
                rows, columns, seed, r.reason(), r.iterations(), r.evaluations(), ms, aucFit, aucExact, aucTrue, maxDiff(fit, exact));
        System.out.println(figures);
        assertTrue(r.converged(), figures);
        assertEquals(aucExact, aucFit, 0.002, figures);
        if (rows >= 5_000) {
            assertEquals(aucTrue, aucFit, 0.01, figures);
        }
        assertOrdered(design, fit, figures);
    }

    @ParameterizedTest(name = "linear: {0} rows, {1} columns, seed {3}")
    @MethodSource("sizes")
    void linearRegressionMatchesExactLeastSquares(int rows, int columns, double smallest, long seed) {
        SyntheticTables.Design design = SyntheticTables.design(seed, columns, smallest);
        SyntheticTables.Table train = design.linear(rows, 1, 1.0);
        SyntheticTables.Table test = design.linear(Math.max(5_000, rows / 5), 2, 1.0);
        double[][] meanSd = ExactFits.standardization(train.x(), rows, columns);
        Prepared tr = Prepared.of(train, meanSd);
        Prepared te = Prepared.of(test, meanSd);

        Dense dense = new Dense(columns, 1, new Rng(seed));
        long t0 = System.nanoTime();
        ConvexFit.Result r = ConvexFit.fit(new Sequential(dense), Head.regression(1, null),
                new TensorDataset(tr.x(), Tensor.of(floats(train.y()), rows)), null, ConvexFit.Options.defaults());
        double ms = (System.nanoTime() - t0) / 1e6;
        double[] fit = weights(dense);
        double[] exact = ExactFits.leastSquares(tr.z(), train.y(), rows, columns, 0);
        float[] actual = floats(test.y());
        double r2Fit = Metrics.r2(floats(ExactFits.predict(te.z(), te.n(), columns, fit)), actual);
        double r2Exact = Metrics.r2(floats(ExactFits.predict(te.z(), te.n(), columns, exact)), actual);
        String figures = String.format(Locale.ROOT,
                "linear %d×%d seed %d: %s; %d iterations, %d evaluations, %.0f ms; test R² fit %.5f exact %.5f; max |w − w_exact| %.2e",
                rows, columns, seed, r.reason(), r.iterations(), r.evaluations(), ms, r2Fit, r2Exact, maxDiff(fit, exact));
        System.out.println(figures);
        assertTrue(r.converged(), figures);
        assertEquals(r2Exact, r2Fit, 0.005, figures);
        assertOrdered(design, fit, figures);
    }

    /**
     * The strongest true column has the largest fitted |weight|, and of every two columns whose
     * true |weights| differ by 2× or more, the larger has the larger fitted |weight|.
     */
    private static void assertOrdered(SyntheticTables.Design design, double[] fit, String figures) {
        double[] beta = design.weights();
        int p = beta.length;
        int top = 0;
        for (int j = 1; j < p; j++) {
            if (Math.abs(fit[j]) > Math.abs(fit[top])) {
                top = j;
            }
        }
        assertEquals(design.names().get(design.strongest()), design.names().get(top), "strongest column; " + figures);
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                if (Math.abs(beta[a]) >= 2 * Math.abs(beta[b])) {
                    assertTrue(Math.abs(fit[a]) > Math.abs(fit[b]), design.names().get(a) + " (true " + beta[a] + ", fitted " + fit[a] + ") vs "
                            + design.names().get(b) + " (true " + beta[b] + ", fitted " + fit[b] + "); " + figures);
                }
            }
        }
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** With an L2 penalty the fit is the penalized optimum, for both heads. */
    @Test
    void anL2PenaltyIsPartOfTheObjective() {
        SyntheticTables.Design design = SyntheticTables.design(3, 8, 0.8);
        double lambda = 0.05;
        for (boolean logistic : new boolean[] {true, false}) {
            SyntheticTables.Table t = logistic ? design.logistic(2_000, 1) : design.linear(2_000, 1, 1.0);
            Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), t.rows(), 8));
            Dense dense = new Dense(8, 1, new Rng(1));
            dense.penalize(Penalty.l2((float) lambda));
            ConvexFit.Result r = ConvexFit.fit(new Sequential(dense), logistic ? Head.binary() : Head.regression(1, null),
                    new TensorDataset(tr.x(), Tensor.of(floats(t.y()), t.rows())), null, ConvexFit.Options.defaults());
            double[] exact = logistic ? ExactFits.logistic(tr.z(), t.y(), t.rows(), 8, lambda) : ExactFits.leastSquares(tr.z(), t.y(), t.rows(), 8, lambda);
            double[] unpenalized = logistic ? ExactFits.logistic(tr.z(), t.y(), t.rows(), 8, 0) : ExactFits.leastSquares(tr.z(), t.y(), t.rows(), 8, 0);
            double[] fit = weights(dense);
            String figures = (logistic ? "logistic" : "linear") + ": " + r.reason() + ", max |w − w_exact| " + maxDiff(fit, exact)
                    + ", penalty moved the optimum by " + maxDiff(exact, unpenalized);
            assertTrue(r.converged(), figures);
            assertTrue(maxDiff(exact, unpenalized) > 0.05, "the penalty matters here: " + figures);
            assertTrue(maxDiff(fit, exact) < 1e-3, figures);
        }
    }

    /**
     * Softmax regression over two classes predicts what logistic regression does: the difference of
     * its two logits is the logistic logit, so its probabilities must match the exact logistic fit.
     */
    @Test
    void twoClassSoftmaxMatchesTheExactLogisticFit() {
        SyntheticTables.Design design = SyntheticTables.design(4, 6, 0.8);
        SyntheticTables.Table t = design.logistic(3_000, 1);
        Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), t.rows(), 6));
        Dense dense = new Dense(6, 2, new Rng(2));
        ConvexFit.Result r = ConvexFit.fit(new Sequential(dense), Head.multiclass(2),
                new TensorDataset(tr.x(), Tensor.of(floats(t.y()), t.rows())), null, ConvexFit.Options.defaults());
        assertTrue(r.converged(), r.reason());
        double[] exact = ExactFits.logistic(tr.z(), t.y(), t.rows(), 6, 0);
        float[] w = dense.weight().toArray(); // [2, 6]
        float[] b = dense.bias().toArray();
        double worst = 0;
        for (int j = 0; j < 6; j++) {
            worst = Math.max(worst, Math.abs((w[6 + j] - w[j]) - exact[j]));
        }
        worst = Math.max(worst, Math.abs((b[1] - b[0]) - exact[6]));
        assertTrue(worst < 1e-3, "logit differences vs the exact logistic weights: max difference " + worst + "; " + r.reason());
    }

    /**
     * A design whose columns are linearly dependent, as full one-hot coding with an intercept is:
     * the optimum is a line of weights, not a point, yet the loss is still convex, so the fit
     * converges and predicts what the exact fit without the redundant column predicts.
     */
    @Test
    void aRankDeficientDesignStillConverges() {
        SyntheticTables.Design design = SyntheticTables.design(6, 8, 0.8);
        SyntheticTables.Table t = design.logistic(2_000, 1);
        Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), t.rows(), 8));
        float[] wide = new float[t.rows() * 9];
        float[] narrow = tr.x().toArray();
        for (int i = 0; i < t.rows(); i++) {
            System.arraycopy(narrow, i * 8, wide, i * 9, 8);
            wide[i * 9 + 8] = narrow[i * 8]; // column 0 twice
        }
        Dense dense = new Dense(9, 1, new Rng(3));
        ConvexFit.Result r = ConvexFit.fit(new Sequential(dense), Head.binary(),
                new TensorDataset(Tensor.of(wide, t.rows(), 9), Tensor.of(floats(t.y()), t.rows())), null, ConvexFit.Options.defaults());
        assertTrue(r.converged(), r.reason());
        double[] exact = ExactFits.logistic(tr.z(), t.y(), t.rows(), 8, 0);
        double[] fit = weights(dense);
        double[] folded = {fit[0] + fit[8], fit[1], fit[2], fit[3], fit[4], fit[5], fit[6], fit[7], fit[9]};
        assertTrue(maxDiff(folded, exact) < 1e-3, "the two copies of column 0 share its exact weight: " + java.util.Arrays.toString(fit)
                + " vs " + java.util.Arrays.toString(exact) + "; " + r.reason());
    }

    /** The fitted weights are bit for bit the same on one thread and on two, and on a second run. */
    @Test
    void fitsAreBitIdenticalAcrossThreadCounts() {
        SyntheticTables.Design design = SyntheticTables.design(5, 15, 0.4);
        SyntheticTables.Table t = design.logistic(20_000, 1);
        Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), t.rows(), 15));
        TensorDataset data = new TensorDataset(tr.x(), Tensor.of(floats(t.y()), t.rows()));
        int before = Parallel.threads();
        List<float[]> results = new ArrayList<>();
        try {
            for (int threads : new int[] {1, 2, 1}) {
                Parallel.setThreads(threads);
                Dense dense = new Dense(15, 1, new Rng(9));
                ConvexFit.Result r = ConvexFit.fit(new Sequential(dense), Head.binary(), data, null, ConvexFit.Options.defaults());
                assertTrue(r.converged(), r.reason());
                float[] w = dense.weight().toArray();
                float[] all = java.util.Arrays.copyOf(w, w.length + 1);
                all[w.length] = dense.bias().item();
                results.add(all);
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(results.get(0), results.get(1), "one thread vs two");
        assertArrayEquals(results.get(0), results.get(2), "a second run");
    }

    /** Too few iterations: not converged, and the reason says so with the numbers. */
    @Test
    void anIterationLimitIsReportedAsNotConverged() {
        SyntheticTables.Design design = SyntheticTables.design(1, 15, 0.4);
        SyntheticTables.Table t = design.logistic(5_000, 1);
        Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), t.rows(), 15));
        TensorDataset train = new TensorDataset(tr.x(), Tensor.of(floats(t.y()), t.rows()));
        SyntheticTables.Table v = design.logistic(1_000, 2);
        TensorDataset val = new TensorDataset(Prepared.of(v, ExactFits.standardization(t.x(), t.rows(), 15)).x(), Tensor.of(floats(v.y()), 1_000));
        ConvexFit.Result r = ConvexFit.fit(new Sequential(new Dense(15, 1, new Rng(1))), Head.binary(), train, val,
                ConvexFit.Options.defaults().withMaxIterations(3));
        assertTrue(!r.converged(), r.reason());
        assertEquals(3, r.iterations());
        assertTrue(r.reason().startsWith("iteration limit 3 reached (gradient max |g| "), r.reason());
        assertEquals(3, r.trace().size());
        assertTrue(r.trace().get(2).loss() < r.trace().get(0).loss(), "the loss falls: " + r.trace());
        assertTrue(Double.isFinite(r.valLoss()) && Double.isFinite(r.trace().get(0).valLoss()), "validation loss measured");
        assertTrue(r.gradientNorm() > 1e-6, "not at the optimum after 3 iterations: " + r.gradientNorm());
    }

    @Test
    void nonSmoothObjectivesAreRefused() {
        TensorDataset data = new TensorDataset(Tensor.ones(4, 2), Tensor.ones(4));
        Dense dense = new Dense(2, 1, new Rng(1));
        dense.penalize(Penalty.l1(0.1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvexFit.fit(new Sequential(dense), Head.binary(), data, null, ConvexFit.Options.defaults()));
        assertTrue(e.getMessage().contains("l1(0.weight)") && e.getMessage().contains("mini-batches"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvexFit.fit(new Sequential(new Dense(2, 1, new Rng(1))),
                Head.regression(1, new L1Loss()), data, null, ConvexFit.Options.defaults()));
        assertTrue(e.getMessage().contains("L1 loss"), e.getMessage());
    }

    /** The model's mode is put back, and frozen parameters stay as they were. */
    @Test
    void leavesTheModelAsItFoundItButForTheWeights() {
        SyntheticTables.Table t = SyntheticTables.design(2, 3, 0.8).logistic(500, 1);
        Prepared tr = Prepared.of(t, ExactFits.standardization(t.x(), 500, 3));
        Dense dense = new Dense(3, 1, new Rng(1));
        try (var ignored = Autograd.noGrad()) {
            dense.bias().fill(0.25f);
        }
        dense.bias().requiresGrad(false);
        Sequential model = new Sequential(dense);
        model.train();
        ConvexFit.Result r = ConvexFit.fit(model, Head.binary(), new TensorDataset(tr.x(), Tensor.of(floats(t.y()), 500)), null,
                ConvexFit.Options.defaults());
        assertTrue(r.converged(), r.reason());
        assertTrue(model.isTraining(), "back in training mode");
        assertEquals(0.25f, dense.bias().item(), "the frozen bias did not move");
    }
}
