package org.omomi.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.explain.WeightPictures;
import org.omomi.explain.plot.ImageGrid;
import org.omomi.explain.plot.Png;
import org.omomi.nn.Activation;
import org.omomi.nn.Dense;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;

/**
 * Pictures of a trained model's weights for the run page: the network of a small dense model as
 * numbers for the page to draw (every weight and bias, so hovering an edge can show w and a
 * neuron its z = Σ w·x + b), and the first layer's filters as a PNG.
 */
final class Weights {

    private Weights() {}

    /**
     * {"layers": [{"name", "weight": [out][in], "bias": [out] | null, "activation"}], "inputs", "outputs"}
     * for a network of dense layers of at most 64 units (the diagram omomi-explain draws), or
     * {"available": false, "reason"} for any other.
     */
    static Map<String, Object> network(Models.Loaded model) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!hasNetwork(model)) {
            out.put("available", false);
            out.put("reason", "the network diagram is drawn for networks of dense layers of at most 64 units each");
            return out;
        }
        Module m = model.saved.build();
        Preprocessing pre = model.predictor.preprocessing();
        List<String> inputNames = pre instanceof Tabular t ? t.inputNames() : null;
        List<Object> layers = new ArrayList<>();
        Map<String, Object> last = null;
        for (Map.Entry<String, Module> e : m.namedModules().entrySet()) {
            Module x = e.getValue();
            if (x instanceof Dense d) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", e.getKey());
                int[] s = d.weight().shape();
                float[] w = d.weight().toArray();
                List<Object> rows = new ArrayList<>();
                for (int o = 0; o < s[0]; o++) {
                    List<Object> r = new ArrayList<>(s[1]);
                    for (int i = 0; i < s[1]; i++) {
                        r.add((double) w[o * s[1] + i]);
                    }
                    rows.add(r);
                }
                l.put("weight", rows);
                Tensor b = d.bias();
                l.put("bias", b == null ? null : floats(b.toArray()));
                l.put("activation", null);
                layers.add(l);
                last = l;
            } else if (x instanceof Activation a && last != null) {
                last.put("activation", a.name());
            }
        }
        out.put("available", true);
        out.put("layers", layers);
        out.put("inputs", inputNames == null ? null : new ArrayList<Object>(inputNames));
        out.put("outputs", model.predictor.classes().isEmpty() ? null : new ArrayList<Object>(model.predictor.classes()));
        return out;
    }

    private static List<Object> floats(float[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    /** Whether the model is a small dense network that {@link #network} draws. */
    static boolean hasNetwork(Models.Loaded model) {
        return model.picture("has-network", () -> WeightPictures.diagram(model.saved.build(), null, null) != null);
    }

    /** The first convolution's filters, or a first dense layer's neurons seen as images; null when the model has neither. */
    static byte[] filters(Models.Loaded model) {
        return model.picture("filters", () -> {
            Module m = model.saved.build();
            String conv = WeightPictures.firstConvolution(m);
            ImageGrid grid = conv != null ? WeightPictures.filters(m, conv) : WeightPictures.denseNeurons(m);
            return grid == null ? new byte[0] : Png.bytes(grid.render());
        });
    }
}
