package org.omomi.ctr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.nn.Module;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;

/**
 * Which features weigh most in a click model, over a set of impressions: for every feature (a
 * numeric one or a categorical field) the mean |Integrated Gradients| of the logit
 * ({@link FieldAttributions}, from a {@link FieldAttributions.Baseline}), and for logistic regression its weight — for a
 * numeric feature the standardized weight u_j (the change of the log-odds per standard deviation,
 * the inputs being standardized), for a field the standard deviation over the impressions of the
 * weight its value gets (how much knowing the field moves the log-odds).
 *
 * @param names    every feature: the numeric ones, then the fields
 * @param numeric  whether each is numeric
 * @param meanAbsIg mean |attribution| per feature
 * @param weight   logistic regression's weight per feature (NaN for other models)
 * @param rows     impressions averaged over
 * @param maxAbsDelta the largest |δ| of their explanations
 */
public record ClickImportance(List<String> names, boolean[] numeric, double[] meanAbsIg, double[] weight, int rows, double maxAbsDelta,
                         String baseline) {

    /** The importance of every feature over the rows of {@code inputs}. */
    public static ClickImportance of(Module model, ClickFeatures features, ModelKind kind, Inputs inputs, FieldAttributions.Baseline baseline) {
        List<FieldAttributions.Row> rows = FieldAttributions.explain(model, features, inputs, baseline, FieldAttributions.STEPS);
        int d = features.numericCount();
        int f = features.fieldCount();
        List<String> names = new ArrayList<>(features.numericNames());
        names.addAll(features.fieldNames());
        boolean[] numeric = new boolean[d + f];
        double[] mean = new double[d + f];
        double maxDelta = 0;
        for (int j = 0; j < d; j++) {
            numeric[j] = true;
        }
        for (FieldAttributions.Row r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += Math.abs(r.numeric()[j]);
            }
            for (int q = 0; q < f; q++) {
                mean[d + q] += Math.abs(r.fields()[q]);
            }
            maxDelta = Math.max(maxDelta, Math.abs(r.delta()));
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= Math.max(1, rows.size());
        }
        double[] weight = new double[d + f];
        java.util.Arrays.fill(weight, Double.NaN);
        if (kind == ModelKind.LR) {
            Map<String, Tensor> state = model.stateDict();
            if (d > 0) {
                float[] u = state.get(ClickModel.DENSE + ".weight").toArray();
                for (int j = 0; j < d; j++) {
                    weight[j] = u[j];
                }
            }
            if (f > 0) {
                float[] table = state.get(ClickModel.LINEAR + ".weight").toArray();
                int[] ids = inputs.ids(ClickFeatures.IDS).toArray();
                int n = inputs.size();
                for (int q = 0; q < f; q++) {
                    double s = 0;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        double w = table[ids[i * f + q]];
                        s += w;
                        ss += w * w;
                    }
                    double m = s / n;
                    weight[d + q] = Math.sqrt(Math.max(0, ss / n - m * m));
                }
            }
        }
        return new ClickImportance(List.copyOf(names), numeric, mean, weight, rows.size(), maxDelta, baseline.name());
    }

    /** The features in decreasing order of mean |IG|. */
    public List<Integer> ranking() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(meanAbsIg[b], meanAbsIg[a]));
        return order;
    }

    /** The index of a feature by name, or −1. */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    /** Mean |IG| of a feature by name. */
    public double meanAbsIg(String name) {
        int i = require(name);
        return meanAbsIg[i];
    }

    /** Logistic regression's weight of a feature by name (NaN for other models). */
    public double weight(String name) {
        return weight[require(name)];
    }

    private int require(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no feature '" + name + "'; the model has " + names);
        }
        return i;
    }

    /** importance.json's content: feature → mean |IG| (and the weight for lr), in ranking order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", (long) rows);
        m.put("method", "integrated_gradients");
        m.put("baseline", baseline.equals("zero") ? "zero: every field's weight and vector 0, every standardized numeric feature 0 (its training mean)"
                : "mean: every field's weight and vector at their mean over the held-out rows, every standardized numeric feature 0 (its training mean)");
        m.put("steps", (long) FieldAttributions.STEPS);
        m.put("rule", "gauss-legendre");
        m.put("max_abs_delta", maxAbsDelta);
        Map<String, Object> features = new LinkedHashMap<>();
        for (int i : ranking()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", numeric[i] ? "numeric" : "field");
            o.put("mean_abs_ig", meanAbsIg[i]);
            if (!Double.isNaN(weight[i])) {
                o.put(numeric[i] ? "standardized_weight" : "weight_std", weight[i]);
            }
            features.put(names.get(i), o);
        }
        m.put("features", features);
        return m;
    }

    /** A batch of the first {@code limit} rows of a dataset's inputs. */
    static Inputs first(Inputs inputs, int limit) {
        int n = Math.min(limit, inputs.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return inputs.rows(idx);
    }
}
