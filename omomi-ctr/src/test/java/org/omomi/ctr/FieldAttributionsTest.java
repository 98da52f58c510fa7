package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Integrated Gradients through the embedding nodes: completeness, logistic regression's exact answer, and why the baseline is the mean. */
class FieldAttributionsTest {

    /** Three fields (5, 4, 3 values) sharing one table, two numeric features. */
    static ClickFeatures features() {
        return new ClickFeatures(LogFormat.CSV, "click", List.of("a", "u", "b", "v", "c"),
                List.of(new ClickFeatures.Numeric("u", ClickFeatures.Transform.NONE, 0, 1),
                        new ClickFeatures.Numeric("v", ClickFeatures.Transform.NONE, 0, 1)),
                List.of(new ClickFeatures.Categorical("a", ClickFeatures.Transform.NONE, List.of("0", "1", "2", "3")),
                        new ClickFeatures.Categorical("b", ClickFeatures.Transform.NONE, List.of("0", "1", "2")),
                        new ClickFeatures.Categorical("c", ClickFeatures.Transform.NONE, List.of("0", "1"))), 0, 1);
    }

    /** A model with every weight random (as if trained), the bias included. */
    static Module randomModel(ModelKind kind, ClickFeatures f, long seed) {
        Module m = ClickModel.spec(kind, f, 4, List.of(6, 5), 0).build(new Rng(seed));
        Rng rng = new Rng(seed + 1);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Tensor p : m.parameters()) {
                p.copyFrom(Tensor.randn(rng, p.shape()).mul(0.7f));
            }
        }
        return m.eval();
    }

    static Inputs rows(ClickFeatures f, int n, long seed) {
        Rng rng = new Rng(seed);
        int[] ids = new int[n * 3];
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            ids[i * 3] = f.vocabularyId(0, Integer.toString(rng.nextInt(5))); // 4 is out of vocabulary
            ids[i * 3 + 1] = f.vocabularyId(1, Integer.toString(rng.nextInt(3)));
            ids[i * 3 + 2] = f.vocabularyId(2, Integer.toString(rng.nextInt(2)));
            x[i * 2] = (float) rng.nextGaussian();
            x[i * 2 + 1] = (float) rng.nextGaussian();
        }
        return f.inputs(ids, x, n);
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void attributionsAddUpToTheLogitsDistanceFromTheBaseline(ModelKind kind) {
        ClickFeatures f = features();
        Module m = randomModel(kind, f, 3);
        Inputs in = rows(f, 40, 4);
        for (FieldAttributions.Baseline b : List.of(FieldAttributions.Baseline.zero(m, f), FieldAttributions.Baseline.mean(m, f, in))) {
            // The FM's path is quadratic in α, which 50 Gauss–Legendre nodes integrate exactly; DeepFM's
            // ReLUs put kinks in it, so it takes more nodes for the same δ.
            List<FieldAttributions.Row> rows = FieldAttributions.explain(m, f, in, b, kind == ModelKind.DEEPFM ? 400 : FieldAttributions.STEPS);
            assertEquals(40, rows.size());
            float[] logits;
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                logits = m.call(in).toArray();
            }
            for (int i = 0; i < rows.size(); i++) {
                FieldAttributions.Row r = rows.get(i);
                assertEquals(logits[i], r.fx(), 1e-5, "F(x) is the model's logit");
                double tolerance = kind == ModelKind.DEEPFM ? 1e-2 * Math.max(1, Math.abs(r.fx() - r.fBaseline())) : 1e-4;
                assertEquals(r.fx() - r.fBaseline(), r.sum(), tolerance, kind + " " + b.name() + " row " + i);
                assertEquals(r.sum() - (r.fx() - r.fBaseline()), r.delta(), 1e-6, "δ as defined (attributions rounded to float)");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = "LR")
    void forLogisticRegressionTheAttributionsAreTheWeights(ModelKind kind) {
        ClickFeatures f = features();
        Module m = randomModel(kind, f, 7);
        Inputs in = rows(f, 30, 8);
        FieldAttributions.Baseline mean = FieldAttributions.Baseline.mean(m, f, in);
        List<FieldAttributions.Row> rows = FieldAttributions.explain(m, f, in, mean, FieldAttributions.STEPS);
        Map<String, Tensor> s = m.stateDict();
        float[] w = s.get("linear.weight").toArray();
        float[] u = s.get("dense.weight").toArray();
        int[] ids = in.ids(ClickFeatures.IDS).toArray();
        float[] x = in.tensor(ClickFeatures.NUMERIC).toArray();
        double[] fieldMean = new double[3];
        for (int i = 0; i < 30; i++) {
            for (int q = 0; q < 3; q++) {
                fieldMean[q] += w[ids[i * 3 + q]] / 30.0;
            }
        }
        for (int i = 0; i < 30; i++) {
            for (int q = 0; q < 3; q++) {
                assertEquals(w[ids[i * 3 + q]] - fieldMean[q], rows.get(i).fields()[q], 1e-5, "field " + q + " of row " + i);
            }
            for (int j = 0; j < 2; j++) {
                assertEquals(u[j] * x[i * 2 + j], rows.get(i).numeric()[j], 1e-5, "feature " + j + " of row " + i);
            }
        }
    }

    /**
     * Adding c to every weight of a field and −c to the bias changes no prediction. The mean
     * baseline's attributions do not move; the zero baseline's move by c: a field's absolute level
     * is not something the model learned about it, which is why the mean is the default.
     */
    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"LR", "FM"})
    void theMeanBaselineIgnoresWhatTheBiasCouldCarryTheZeroBaselineDoesNot(ModelKind kind) {
        ClickFeatures f = features();
        Module m = randomModel(kind, f, 11);
        Inputs in = rows(f, 25, 12);
        List<FieldAttributions.Row> meanBefore = FieldAttributions.explain(m, f, in, FieldAttributions.Baseline.mean(m, f, in), 50);
        List<FieldAttributions.Row> zeroBefore = FieldAttributions.explain(m, f, in, FieldAttributions.Baseline.zero(m, f), 50);
        float[] before;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            before = m.call(in).toArray();
            Tensor w = m.stateDict().get("linear.weight");
            float[] v = w.toArray();
            for (int id = 0; id < 5; id++) { // field a's ids: its 4 values and its OOV id
                v[id] += 0.8f;
            }
            w.copyFrom(Tensor.of(v, w.shape()));
            Tensor b = m.stateDict().get("logit.bias");
            b.copyFrom(b.sub(0.8f));
        }
        float[] after;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            after = m.call(in).toArray();
        }
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 1e-5, "the same model");
        }
        List<FieldAttributions.Row> meanAfter = FieldAttributions.explain(m, f, in, FieldAttributions.Baseline.mean(m, f, in), 50);
        List<FieldAttributions.Row> zeroAfter = FieldAttributions.explain(m, f, in, FieldAttributions.Baseline.zero(m, f), 50);
        double zeroMoved = 0;
        for (int i = 0; i < 25; i++) {
            for (int q = 0; q < 3; q++) {
                assertEquals(meanBefore.get(i).fields()[q], meanAfter.get(i).fields()[q], 1e-4, "mean baseline, field " + q);
            }
            zeroMoved += Math.abs(zeroAfter.get(i).fields()[0] - zeroBefore.get(i).fields()[0]);
        }
        assertTrue(zeroMoved / 25 > 0.5, "the zero baseline credits field a with the shift: " + zeroMoved / 25);
    }
}
