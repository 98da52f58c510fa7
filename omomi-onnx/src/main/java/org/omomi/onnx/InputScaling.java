package org.omomi.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.tensor.Inputs;

/**
 * What an exported model's inputs hold, and the part of omomi's preprocessing the graph does
 * itself: the standardization (x − mean) / std of an image model's pixels or of a table's numeric
 * columns becomes {@code Sub} and {@code Div} nodes on the float input, so the ONNX model takes
 * pixels in [0, 1] and numbers as the CSV file has them. Parsing text, filling missing values and
 * encoding categories stay outside the graph; {@code omomi.preprocessing} in the metadata says how.
 *
 * @param scales      float input name → its per-column (or single) mean and std
 * @param descriptions input name → what it holds, in words (the inputs' doc strings and metadata)
 */
record InputScaling(Map<String, float[][]> scales, Map<String, String> descriptions) {

    /** The scaling and descriptions of {@code spec}'s inputs under {@code pre} (which may be null). */
    static InputScaling of(Preprocessing pre, ModelSpec spec) {
        Map<String, float[][]> scales = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            text.put(in.name(), type(in) + ": " + (in.ids() ? "ids" : "values") + " as the model was trained on them");
        }
        if (pre instanceof ImageScaling s && text.containsKey(Inputs.DEFAULT)) {
            int[] c = s.shape();
            boolean standardized = !(s.mean() == 0f && s.std() == 1f);
            if (standardized) {
                scales.put(Inputs.DEFAULT, new float[][] {{s.mean()}, {s.std()}});
            }
            text.put(Inputs.DEFAULT, type(input(spec, Inputs.DEFAULT)) + ": pixels in [0, 1] (each 0–255 value / 255), an image of "
                    + c[0] + "×" + c[1] + "×" + c[2] + " (channels × height × width) flattened row-major"
                    + (standardized ? String.format(Locale.ROOT, "; the graph standardizes them, (x − %s) / %s", s.mean(), s.std()) : ""));
        } else if (pre instanceof Tabular t) {
            tabular(t, spec, scales, text);
        } else if (pre != null) {
            for (InputSpec in : spec.inputs()) {
                text.put(in.name(), type(in) + ": as the preprocessing '" + pre.format() + "' (metadata omomi.preprocessing) encodes a row");
            }
        }
        return new InputScaling(scales, text);
    }

    @SuppressWarnings("unchecked")
    private static void tabular(Tabular t, ModelSpec spec, Map<String, float[][]> scales, Map<String, String> text) {
        Map<String, Object> json = t.toJson();
        boolean scaled = "standard".equals(json.get("scale"));
        boolean oneHot = t.encoding() == Tabular.Encoding.ONE_HOT;
        List<Float> mean = new ArrayList<>();
        List<Float> std = new ArrayList<>();
        for (Object o : (List<Object>) json.get("features")) {
            Map<String, Object> f = (Map<String, Object>) o;
            if ("numeric".equals(f.get("kind"))) {
                mean.add(((Number) f.get("mean")).floatValue());
                std.add(((Number) f.get("std")).floatValue());
            } else if (oneHot) {
                for (Object ignored : (List<Object>) f.get("categories")) {
                    mean.add(0f);
                    std.add(1f);
                }
            }
        }
        List<String> columns = t.inputNames().subList(0, t.inputSize());
        if (mean.size() != columns.size()) {
            throw new IllegalStateException("ONNX export: the table's " + columns.size() + " input columns and " + mean.size() + " scales disagree");
        }
        InputSpec dense = text.containsKey(Tabular.DENSE) ? input(spec, Tabular.DENSE) : null;
        if (dense != null && dense.width() != columns.size()) {
            throw new IllegalArgumentException("ONNX export: the model's input '" + Tabular.DENSE + "' takes " + dense.width()
                    + " values, the preprocessing gives " + columns.size() + " columns " + columns);
        }
        if (dense != null && !columns.isEmpty()) {
            if (scaled) {
                float[][] s = new float[2][columns.size()];
                for (int i = 0; i < columns.size(); i++) {
                    s[0][i] = mean.get(i);
                    s[1][i] = std.get(i);
                }
                scales.put(Tabular.DENSE, s);
            }
            text.put(Tabular.DENSE, type(dense) + ": the columns " + String.join(", ", columns) + ", in this order: numbers as the CSV file"
                    + " has them (a missing number: its training mean, 'fill' in omomi.preprocessing)"
                    + (oneHot ? ", a category as 1 in its column 'name=category' and 0 in the others" : "")
                    + (scaled ? "; the graph standardizes the numbers with the training mean and std" : ""));
        }
        if (!t.idColumns().isEmpty() && text.containsKey(Tabular.IDS)) {
            text.put(Tabular.IDS, type(input(spec, Tabular.IDS)) + ": one id per column " + String.join(", ", t.idColumns())
                    + ": the column's vocabulary index (or its out-of-vocabulary id, or the hashed id) as omomi.preprocessing describes");
        }
    }

    private static InputSpec input(ModelSpec spec, String name) {
        return spec.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    /** e.g. {@code x: float32 [batch, 784]}. */
    static String type(InputSpec in) {
        StringBuilder sb = new StringBuilder(in.name()).append(": ").append(in.ids() ? "int64" : "float32").append(" [batch");
        in.shape().forEach(d -> sb.append(", ").append(d));
        return sb.append(']').toString();
    }

    /**
     * The input as the layers see it: (x − mean) / std when it is scaled ({@code Sub} then
     * {@code Div}, omomi's order of operations), else the input itself.
     */
    Value apply(Value x, OnnxGraph g) {
        float[][] s = scales.get(x.name());
        if (s == null) {
            return x;
        }
        String mean = s[0].length == 1 ? g.scalar(s[0][0]) : g.constant(x.name() + "/mean", s[0], s[0].length);
        String std = s[1].length == 1 ? g.scalar(s[1][0]) : g.constant(x.name() + "/std", s[1], s[1].length);
        String centered = g.node("Sub", x.name() + "/centered", List.of(x.name(), mean));
        return Value.floats(g.node("Div", x.name() + "/standardized", List.of(centered, std)), x.rank());
    }
}
