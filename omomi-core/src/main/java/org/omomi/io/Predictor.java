package org.omomi.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.nn.InferencePlan;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * Predictions of a trained model from raw inputs — CSV rows, JSON records of named fields,
 * images — with no autograd bookkeeping. One predictor may be called from many threads at once:
 * its model is in evaluation mode and never changes, and grad mode is per thread.
 */
public final class Predictor {

    /** The largest batch one forward pass takes; longer inputs run in slices of this many rows. */
    static final int SLICE = 1024;

    /**
     * Predictions for N rows.
     *
     * @param outputs       the model's raw outputs [N, outputs] (logits or values)
     * @param probabilities class probabilities [N, C] (multiclass), P(class 1) [N] (binary), or null
     * @param predicted     class index (classifiers) or predicted value (regression) per row
     */
    public record Prediction(Tensor outputs, Tensor probabilities, float[] predicted) {}

    private final Module model;
    private final InferencePlan plan;
    private final Head head;
    private final List<String> classes;
    private final Preprocessing preprocessing;

    Predictor(Module model, Head head, List<String> classes, Preprocessing preprocessing) {
        this.model = model;
        this.head = head;
        this.classes = List.copyOf(classes);
        this.preprocessing = preprocessing;
        model.eval();
        this.plan = InferencePlan.of(model);
    }

    public Head head() {
        return head;
    }

    public List<String> classes() {
        return classes;
    }

    /** How raw rows become inputs, or null. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Predictions for model inputs as tensors. */
    public Prediction predict(Inputs inputs) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor out = outputs(inputs);
            Tensor probs = head.probabilities(out);
            return new Prediction(out, probs, head.predictions(out).toArray());
        }
    }

    /**
     * The model's raw outputs [N, outputs] (logits or values) for inputs as tensors. A chain of
     * dense layers answers through its {@link InferencePlan}: the same sums as the module on the
     * vector GEMM, without packing the weights on every call.
     */
    public Tensor outputs(Inputs inputs) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            int n = inputs.size();
            boolean planned = false;
            if (plan != null && n >= 1 && inputs.names().size() == 1 && !inputs.isIds(inputs.names().iterator().next())) {
                Tensor x = inputs.single();
                planned = x.dim() == 2 && x.size(1) == plan.inFeatures();
            }
            List<Tensor> outs = new ArrayList<>();
            for (int from = 0; from < n || (n == 0 && from == 0); from += SLICE) {
                Inputs slice = n <= SLICE ? inputs : inputs.rows(range(from, Math.min(n, from + SLICE)));
                outs.add(planned ? plan.forward(slice.single()) : model.call(slice));
                if (n <= SLICE) {
                    break;
                }
            }
            return outs.size() == 1 ? outs.get(0) : Tensor.cat(0, outs.toArray(new Tensor[0]));
        }
    }

    /** Predictions for the rows of a CSV table, through the saved preprocessing. */
    public Prediction predict(Csv.Table rows) {
        return predict(requirePreprocessing().encode(rows));
    }

    /**
     * Predictions for records of named fields (a JSON request's rows): each must have every field
     * of {@link Preprocessing#fields()}; numbers and strings are read as a CSV file's text would be.
     * {@code source} names the records in errors (e.g. "request").
     */
    public Prediction predictRecords(List<Map<String, Object>> records, String source) {
        Preprocessing pre = requirePreprocessing();
        List<String> fields = pre.fields();
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> r = records.get(i);
            String[] row = new String[fields.size()];
            for (int j = 0; j < row.length; j++) {
                if (!r.containsKey(fields.get(j))) {
                    throw new IllegalArgumentException(source + " row " + (i + 1) + ": missing field '" + fields.get(j) + "'");
                }
                Object v = r.get(fields.get(j));
                if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                    throw new IllegalArgumentException(source + " row " + (i + 1) + ", field '" + fields.get(j) + "': expected a number or a string");
                }
                row[j] = v == null ? "" : v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                        ? Long.toString(d.longValue()) : String.valueOf(v);
            }
            for (String k : r.keySet()) {
                if (!fields.contains(k)) {
                    throw new IllegalArgumentException(source + " row " + (i + 1) + ": unknown field '" + k + "'; the model reads " + fields);
                }
            }
            rows.add(row);
            lines[i] = i + 1;
        }
        return predict(pre.encode(new Csv.Table(Path.of(source), fields, rows, lines)));
    }

    /** Predictions for images given as pixels in [0, 1], [N, pixels], scaled as in training. */
    public Prediction predictImages(Tensor pixels) {
        if (!(preprocessing instanceof ImageScaling s)) {
            throw new IllegalArgumentException("this model does not read images");
        }
        if (pixels.dim() != 2 || pixels.size(1) != s.pixels()) {
            throw new IllegalArgumentException("images must be [N, " + s.pixels() + "] pixels, got " + java.util.Arrays.toString(pixels.shape()));
        }
        return predict(Inputs.of(s.apply(pixels)));
    }

    /** A prediction's label for row i: the class name (or index) of a classifier, the value of a regression. */
    public String label(Prediction p, int i) {
        if (head.kind() == Head.Kind.REGRESSION) {
            return Float.toString(p.predicted()[i]);
        }
        int k = (int) p.predicted()[i];
        return classes.isEmpty() ? Integer.toString(k) : classes.get(k);
    }

    /** The probability columns a prediction adds: "probability" (binary), "prob_CLASS" per class, or none. */
    public List<String> probabilityColumns() {
        List<String> out = new ArrayList<>();
        if (head.kind() == Head.Kind.BINARY) {
            out.add("probability");
        } else if (head.kind() == Head.Kind.MULTICLASS) {
            for (int c = 0; c < head.outputs(); c++) {
                out.add("prob_" + (classes.isEmpty() ? Integer.toString(c) : classes.get(c)));
            }
        }
        return out;
    }

    /** Row i's probabilities, in {@link #probabilityColumns()} order, printed with six decimals. */
    public List<String> probabilityValues(Prediction p, int i) {
        List<String> out = new ArrayList<>();
        if (p.probabilities() == null) {
            return out;
        }
        float[] probs = p.probabilities().toArray();
        int k = head.kind() == Head.Kind.BINARY ? 1 : head.outputs();
        for (int c = 0; c < k; c++) {
            out.add(String.format(Locale.ROOT, "%.6f", probs[i * k + c]));
        }
        return out;
    }

    private Preprocessing requirePreprocessing() {
        if (preprocessing == null) {
            throw new IllegalArgumentException("this model has no preprocessing; give its inputs as tensors");
        }
        return preprocessing;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
