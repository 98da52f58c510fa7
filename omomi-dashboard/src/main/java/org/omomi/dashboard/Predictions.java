package org.omomi.dashboard;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.explain.Attribution;
import org.omomi.explain.Explained;
import org.omomi.explain.IntegratedGradients;
import org.omomi.explain.Quadrature;
import org.omomi.explain.plot.Png;
import org.omomi.io.Json;
import org.omomi.io.Predictor;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * {@code POST /api/runs/{run}/predict}: predictions for the rows (or images) of a JSON body, and,
 * with {@code ?explain=ig}, their Integrated Gradients attributions. docs/dashboard.md gives the
 * request and answer forms; every error is a 400 whose message names the row and the field.
 *
 * <pre>
 * {"rows": [{"age": 31, "device": "mobile"}, …]}   named fields (Preprocessing.fields())
 * {"rows": [[31, "mobile"], …]}                      the same fields in order
 * {"image": "iVBORw0…"} or {"images": [ … ]}         base64 PNGs, for image models
 * </pre>
 */
final class Predictions {

    /** Rows one request may ask attributions for: each is a 50-step integral. */
    static final int EXPLAIN_ROWS = 16;
    static final String SOURCE = "request";

    private Predictions() {}

    /** The answer's JSON text for a body of {@code length} bytes. */
    static String predict(Models.Loaded model, byte[] body, int length, String explain, String target, String steps) {
        if (explain != null && !explain.equals("ig")) {
            throw HttpError.badRequest("explain=" + explain + ": the only method is ig (Integrated Gradients)");
        }
        Predictor p = model.predictor;
        Preprocessing pre = p.preprocessing();
        if (pre == null) {
            throw HttpError.badRequest("this model has no preprocessing.json, so it takes no raw rows");
        }
        Tensor inputs = null; // the model's float input, for attributions
        Predictor.Prediction prediction;
        int n;
        float[] quick = pre instanceof ImageScaling s ? NumberRows.parse(body, length, s.pixels()) : null;
        if (quick != null) {
            ImageScaling s = (ImageScaling) pre;
            n = quick.length / s.pixels();
            if (explain != null) {
                inputs = s.apply(Tensor.wrap(quick.clone(), n, s.pixels()));
            }
            prediction = model.batcher.predictImages(quick, n);
            return answer(model, prediction, n, explain, inputs, pre, target, steps);
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(body, 0, length, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("the body is not JSON: " + e.getMessage());
        }
        List<?> rows = parsed instanceof List<?> l ? l : parsed instanceof Map<?, ?> m ? rowsOf(m) : null;
        if (parsed instanceof Map<?, ?> m && (m.containsKey("image") || m.containsKey("images"))) {
            if (!(pre instanceof ImageScaling s)) {
                throw HttpError.badRequest("this model reads table rows, not images; send \"rows\"");
            }
            Tensor pixels = images(m, s);
            n = pixels.size(0);
            inputs = explain == null ? null : s.apply(pixels);
            prediction = model.batcher.predictImages(pixels.toArray(), n);
        } else if (rows == null) {
            throw HttpError.badRequest("the body needs \"rows\" (a list of rows), \"image\" or \"images\"");
        } else if (rows.isEmpty()) {
            throw HttpError.badRequest("\"rows\" is empty");
        } else if (pre instanceof ImageScaling s && rows.get(0) instanceof List<?>) {
            Tensor pixels = pixelRows(rows, s);
            n = pixels.size(0);
            inputs = explain == null ? null : s.apply(pixels);
            prediction = model.batcher.predictImages(pixels.toArray(), n);
        } else {
            List<Map<String, Object>> records = records(rows, pre.fields());
            n = records.size();
            try {
                prediction = p.predictRecords(records, SOURCE);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest(e.getMessage());
            }
            inputs = explain == null ? null : floatInput(pre, records);
        }
        return answer(model, prediction, n, explain, inputs, pre, target, steps);
    }

    private static String answer(Models.Loaded model, Predictor.Prediction prediction, int n, String explain, Tensor inputs,
                                 Preprocessing pre, String target, String steps) {
        Predictor p = model.predictor;
        Map<String, Object> out = new LinkedHashMap<>();
        if (!p.classes().isEmpty()) {
            out.put("classes", new ArrayList<Object>(p.classes()));
        }
        List<Object> list = new ArrayList<>(n);
        float[] probs = prediction.probabilities() == null ? null : prediction.probabilities().toArray();
        float[] outs = prediction.outputs().toArray();
        int k = p.head().outputs();
        for (int i = 0; i < n; i++) {
            list.add(row(p, prediction, probs, outs, k, i));
        }
        if (explain != null) {
            if (n > EXPLAIN_ROWS) {
                throw HttpError.badRequest("explain=ig: at most " + EXPLAIN_ROWS + " rows a request, got " + n);
            }
            attribute(model, pre, inputs, prediction, list, target, steps);
        }
        out.put("predictions", list);
        return Json.writeStandard(out);
    }

    private static Map<String, Object> row(Predictor p, Predictor.Prediction prediction, float[] probs, float[] outs, int k, int i) {
        Map<String, Object> r = new LinkedHashMap<>();
        Head.Kind kind = p.head().kind();
        if (kind == Head.Kind.REGRESSION) {
            if (k == 1) {
                r.put("value", (double) outs[i]);
            } else {
                List<Object> v = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    v.add((double) outs[i * k + j]);
                }
                r.put("values", v);
            }
            return r;
        }
        r.put("label", p.label(prediction, i));
        r.put("class", (long) prediction.predicted()[i]);
        if (kind == Head.Kind.BINARY) {
            r.put("probability", (double) probs[i]);
        } else {
            List<Object> v = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                v.add((double) probs[i * k + j]);
            }
            r.put("probabilities", v);
        }
        return r;
    }

    private static List<?> rowsOf(Map<?, ?> m) {
        Object r = m.get("rows");
        if (r == null) {
            return null;
        }
        if (!(r instanceof List<?> l)) {
            throw HttpError.badRequest("\"rows\" must be a list of rows");
        }
        return l;
    }

    /** Rows of named fields, or of values in field order, as records; 400 naming the row and field when one does not fit. */
    static List<Map<String, Object>> records(List<?> rows, List<String> fields) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object row = rows.get(i);
            if (row instanceof Map<?, ?> m) {
                Map<String, Object> r = new LinkedHashMap<>();
                m.forEach((key, v) -> r.put(String.valueOf(key), v));
                out.add(r);
            } else if (row instanceof List<?> values) {
                if (values.size() != fields.size()) {
                    throw HttpError.badRequest(SOURCE + " row " + (i + 1) + ": " + values.size() + " values, but the model reads "
                            + fields.size() + " fields (" + preview(fields) + ")");
                }
                Map<String, Object> r = new LinkedHashMap<>();
                for (int j = 0; j < values.size(); j++) {
                    r.put(fields.get(j), values.get(j));
                }
                out.add(r);
            } else {
                throw HttpError.badRequest(SOURCE + " row " + (i + 1) + ": a row is an object of fields or a list of values");
            }
        }
        return out;
    }

    private static String preview(List<String> fields) {
        return fields.size() <= 8 ? String.join(", ", fields)
                : String.join(", ", fields.subList(0, 3)) + ", …, " + fields.get(fields.size() - 1);
    }

    /** Rows of pixel values in [0, 1], in field order. */
    static Tensor pixelRows(List<?> rows, ImageScaling s) {
        int pixels = s.pixels();
        float[] v = new float[rows.size() * pixels];
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                throw HttpError.badRequest(SOURCE + " row " + (i + 1) + ": rows must all be lists of " + pixels + " pixel values, or all objects");
            }
            if (row.size() != pixels) {
                throw HttpError.badRequest(SOURCE + " row " + (i + 1) + ": " + row.size() + " values, but the model reads "
                        + pixels + " pixels (p0, …, p" + (pixels - 1) + ")");
            }
            for (int j = 0; j < pixels; j++) {
                if (!(row.get(j) instanceof Number x) || !Double.isFinite(x.doubleValue())) {
                    throw HttpError.badRequest(SOURCE + " row " + (i + 1) + ", field 'p" + j + "': expected a number, got "
                            + Json.writeStandard(row.get(j)));
                }
                v[i * pixels + j] = x.floatValue();
            }
        }
        return Tensor.wrap(v, rows.size(), pixels);
    }

    /** Base64 PNGs of the model's size, as grey pixels in [0, 1] (colour: the mean of r, g, b). */
    static Tensor images(Map<?, ?> body, ImageScaling s) {
        List<Object> list = new ArrayList<>();
        if (body.containsKey("image")) {
            list.add(body.get("image"));
        }
        if (body.get("images") instanceof List<?> l) {
            list.addAll(l);
        } else if (body.containsKey("images")) {
            throw HttpError.badRequest("\"images\" must be a list of base64 PNGs");
        }
        int h = s.shape()[1];
        int w = s.shape()[2];
        if (s.shape()[0] != 1) {
            throw HttpError.badRequest("PNG input is for grey images; this model reads " + s.shape()[0] + " channels");
        }
        float[] v = new float[list.size() * h * w];
        for (int i = 0; i < list.size(); i++) {
            String what = "image " + (i + 1);
            if (!(list.get(i) instanceof String b64)) {
                throw HttpError.badRequest(what + ": expected a base64 PNG string");
            }
            BufferedImage img;
            byte[] png;
            try {
                String data = b64.startsWith("data:") ? b64.substring(b64.indexOf(',') + 1) : b64;
                png = Base64.getMimeDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest(what + ": not base64 (" + e.getMessage() + ")");
            }
            try {
                // Png.read checks the size the header declares before decoding, so a small body
                // claiming 2³¹ × 2³¹ pixels is answered 400 rather than filling the server's heap.
                img = Png.read(png, what);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest(what + ": not a PNG image (base64): " + e.getMessage().substring(what.length() + 2));
            }
            if (img.getWidth() != w || img.getHeight() != h) {
                throw HttpError.badRequest(what + ": " + img.getWidth() + "×" + img.getHeight() + " pixels; the model needs " + w + "×" + h);
            }
            java.awt.image.Raster r = img.getRaster();
            boolean grey = r.getNumBands() == 1;
            int bits = img.getColorModel().getComponentSize(0);
            float top = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float g; // as Fashion-MNIST's bytes are read: level / 255 in float
                    if (grey) {
                        g = r.getSample(x, y, 0) / top;
                    } else {
                        int rgb = img.getRGB(x, y);
                        g = Math.round((((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3f) / 255f;
                    }
                    v[(i * h + y) * w + x] = g;
                }
            }
        }
        if (list.isEmpty()) {
            throw HttpError.badRequest("\"images\" is empty");
        }
        return Tensor.wrap(v, list.size(), h * w);
    }

    /** The float input of table rows (already checked by the predictor), for attributions. */
    private static Tensor floatInput(Preprocessing pre, List<Map<String, Object>> records) {
        if (!(pre instanceof Tabular t) || !t.idColumns().isEmpty()) {
            throw HttpError.badRequest("explain=ig: attributions are given for models of one float input (images, one-hot tables); "
                    + "this model also reads ids");
        }
        List<String> fields = pre.fields();
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            String[] row = new String[fields.size()];
            for (int j = 0; j < row.length; j++) {
                Object v = records.get(i).get(fields.get(j));
                row[j] = v == null ? "" : v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                        ? Long.toString(d.longValue()) : String.valueOf(v);
            }
            rows.add(row);
            lines[i] = i + 1;
        }
        return t.features(new Csv.Table(Path.of(SOURCE), fields, rows, lines));
    }

    /**
     * Integrated Gradients of each row's target (the predicted class, or {@code target}) against a
     * baseline of a black image (images) or the all-zero input (tables: the training mean of
     * standardized columns, no category of one-hot ones).
     */
    private static void attribute(Models.Loaded model, Preprocessing pre, Tensor inputs, Predictor.Prediction prediction,
                                  List<Object> list, String target, String stepsParam) {
        Head head = model.predictor.head();
        int steps = stepsParam == null ? IntegratedGradients.DEFAULT_STEPS : parse("steps", stepsParam, 1, 512);
        Attribution.Output output = head.kind() == Head.Kind.REGRESSION ? Attribution.Output.VALUE : Attribution.Output.LOGIT;
        List<String> names = pre instanceof Tabular t ? t.inputNames() : null;
        int width = inputs.size(1);
        Tensor baseline = pre instanceof ImageScaling s ? s.apply(Tensor.zeros(1, width)) : Tensor.zeros(1, width);
        synchronized (model.explainLock()) {
            Module m = model.explainModel();
            for (int i = 0; i < list.size(); i++) {
                int t = targetOf(head, model.predictor.classes(), prediction, i, target);
                Tensor x;
                try (var ignored = Autograd.noGrad()) {
                    x = inputs.slice(0, i, i + 1).contiguous();
                }
                Attribution a = IntegratedGradients.of(new Explained(m, t, output), x, baseline, steps, Quadrature.GAUSS_LEGENDRE);
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("method", a.method());
                j.put("target", (long) a.target());
                j.put("output", a.output().label());
                j.put("steps", (long) steps);
                j.put("f_x", a.fx());
                j.put("f_baseline", a.fBaseline());
                j.put("delta", a.delta());
                if (names != null) {
                    j.put("names", new ArrayList<Object>(names));
                }
                List<Object> v = new ArrayList<>(a.values().length);
                for (float f : a.values()) {
                    v.add((double) f);
                }
                j.put("values", v);
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) list.get(i);
                r.put("attributions", j);
            }
        }
    }

    /** The output index to explain: the predicted class unless one is asked for (by index or name). */
    static int targetOf(Head head, List<String> classes, Predictor.Prediction p, int row, String target) {
        if (head.kind() != Head.Kind.MULTICLASS) {
            return 0; // one logit (binary: class 1's score) or the regression value
        }
        if (target == null) {
            return (int) p.predicted()[row];
        }
        int i = classes.indexOf(target);
        return i >= 0 ? i : parse("target", target, 0, head.outputs() - 1);
    }

    static int parse(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw HttpError.badRequest(name + "=" + value + ": expected a whole number from " + min + " to " + max
                + ("target".equals(name) ? " or a class name" : ""));
    }
}
