package org.omomi.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One explanation of one prediction: a value per input element, in the input's shape (without the
 * batch axis), and what was explained.
 *
 * @param method     "saliency", "smoothgrad", "integrated_gradients" or "gradcam"
 * @param values     the attributions, row-major, {@code shape} elements
 * @param shape      the input's shape without the batch axis, e.g. [1, 28, 28] or [features]
 * @param target     the class (output index) explained
 * @param output     what F is: {@link Output#LOGIT} or {@link Output#PROBABILITY} of the target, or a regression {@link Output#VALUE}
 * @param fx         F(x)
 * @param fBaseline  F(x′) for Integrated Gradients, NaN for the other methods
 * @param delta      Integrated Gradients' signed convergence delta Σ attributions − (F(x) − F(x′)); NaN for the others
 * @param details    method parameters (steps, rule, baseline, layer, samples, noise), for the record
 */
public record Attribution(String method, float[] values, int[] shape, int target, Output output, double fx,
                          double fBaseline, double delta, Map<String, Object> details) {

    /**
     * The quantity explained: a classifier's pre-softmax score, its softmax (sigmoid for one output)
     * probability, or a regression model's predicted value.
     */
    public enum Output {
        LOGIT, PROBABILITY, VALUE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Σ values. */
    public double sum() {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    /** |δ| / |F(x) − F(x′)|: the relative error of the integral; NaN without a baseline. */
    public double relativeDelta() {
        return Math.abs(delta) / Math.abs(fx - fBaseline);
    }

    /** JSON-ready form, values included. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("target", (long) target);
        m.put("output", output.label());
        m.put("f_x", fx);
        if (!Double.isNaN(fBaseline)) {
            m.put("f_baseline", fBaseline);
            m.put("delta", delta);
            m.put("sum_attributions", sum());
        }
        m.putAll(details);
        List<Object> s = new ArrayList<>();
        for (int d : shape) {
            s.add((long) d);
        }
        m.put("shape", s);
        List<Object> v = new ArrayList<>(values.length);
        for (float x : values) {
            v.add((double) x);
        }
        m.put("attributions", v);
        return m;
    }
}
