package org.omomi.ctr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.tensor.Tensor;
import org.omomi.train.Metric;
import org.omomi.train.Metrics;

/**
 * How good click probabilities are, on held-out rows:
 * <ul>
 * <li>{@code auc}: ROC-AUC, the probability a random click scores above a random non-click;</li>
 * <li>{@code logloss}: −(1/N)·Σ[y ln p + (1 − y) ln(1 − p)] (p clipped to [1e-15, 1 − 1e-15]);</li>
 * <li>{@code normalized_entropy}: log-loss ÷ the entropy of the observed rate ȳ,
 *     −[ȳ ln ȳ + (1 − ȳ) ln(1 − ȳ)]: below 1 the model beats always predicting the average
 *     click rate (He et al. 2014, "Practical lessons from predicting clicks on ads at Facebook");</li>
 * <li>{@code ece}: the expected calibration error of {@link Calibration} in {@value Calibration#BUCKETS} buckets.</li>
 * </ul>
 */
public final class ClickMetrics {

    private ClickMetrics() {}

    /** Every metric, and the observed and mean predicted click rates. */
    public static Map<String, Double> of(float[] probabilities, float[] labels) {
        Map<String, Double> m = new LinkedHashMap<>();
        double ll = Metrics.logLoss(probabilities, 1, labels);
        m.put("auc", Metrics.rocAuc(probabilities, labels));
        m.put("logloss", ll);
        m.put("normalized_entropy", ll / entropy(mean(labels)));
        m.put("ece", Calibration.of(probabilities, labels, Calibration.BUCKETS).ece());
        m.put("ctr", mean(labels));
        m.put("mean_prediction", mean(probabilities));
        return m;
    }

    /** The entropy of a click rate, in nats. */
    static double entropy(double p) {
        return p <= 0 || p >= 1 ? 0 : -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }

    static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** σ of logits [N, 1] (or [N]) as an array. */
    public static float[] probabilities(Tensor logits) {
        float[] z = logits.toArray();
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        return p;
    }

    /** The metrics the trainer records for the held-out rows after each epoch (beside the loss). */
    public static List<Metric> perEpoch() {
        return List.of(
                Metric.of("auc", (out, y) -> Metrics.rocAuc(probabilities(out), y.toArray())),
                Metric.of("normalized_entropy", (out, y) -> {
                    float[] l = y.toArray();
                    return Metrics.logLoss(probabilities(out), 1, l) / entropy(mean(l));
                }),
                Metric.of("ece", (out, y) -> Calibration.of(probabilities(out), y.toArray(), Calibration.BUCKETS).ece()));
    }
}
