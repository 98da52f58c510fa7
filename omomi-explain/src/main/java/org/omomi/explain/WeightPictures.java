package org.omomi.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.omomi.explain.plot.ImageGrid;
import org.omomi.explain.plot.NetworkDiagram;
import org.omomi.nn.Activation;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Dropout;
import org.omomi.nn.Flatten;
import org.omomi.nn.Identity;
import org.omomi.nn.Module;
import org.omomi.nn.Unflatten;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Pictures of weights: the first convolution's filters, a first dense layer's neurons as images,
 * the feature maps of any convolutional layer, and the diagram of a small dense network.
 */
public final class WeightPictures {

    /** At most this many tiles in a grid: beyond it a picture stops being readable. */
    public static final int MAX_TILES = 64;

    private WeightPictures() {}

    /** The model's first Conv2d, by name, or null. */
    public static String firstConvolution(Module model) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The filters of a convolution as a grey grid, each filter scaled by its own min and max (so
     * the pattern shows, not the magnitude). A filter over several input channels gives one tile
     * per input channel, in a row.
     */
    public static ImageGrid filters(Module model, String name) {
        Module m = model.module(name);
        if (!(m instanceof Conv2d conv)) {
            throw new IllegalArgumentException("'" + name + "' is not a convolution (" + m.getClass().getSimpleName() + ")");
        }
        int[] s = conv.weight().shape(); // [out, in/groups, kh, kw]
        float[] w = conv.weight().toArray();
        int per = s[2] * s[3];
        int out = Math.min(s[0], Math.max(1, MAX_TILES / s[1]));
        List<float[]> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < s[1]; i++) {
                float[] t = new float[per];
                System.arraycopy(w, (o * s[1] + i) * per, t, 0, per);
                tiles.add(t);
                captions.add(s[1] == 1 ? Integer.toString(o) : o + "/" + i);
            }
        }
        String title = "Layer " + name + ": " + (out < s[0] ? "first " + out + " of " : "") + s[0] + " filters " + s[2] + "×" + s[3]
                + (s[1] > 1 ? " × " + s[1] + " input channels" : "");
        return new ImageGrid(title, tiles, s[2], s[3]).columns(s[1] == 1 ? Math.min(8, (int) Math.ceil(Math.sqrt(tiles.size()))) : s[1]).captions(captions);
    }

    /** The first Dense layer's neurons as images when its input is a flat square image (784 = 28×28), or null. */
    public static ImageGrid denseNeurons(Module model) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d) {
                return null;
            }
            if (e.getValue() instanceof Dense d) {
                int[] s = d.weight().shape(); // [out, in]
                int side = (int) Math.round(Math.sqrt(s[1]));
                if (side * side != s[1] || side < 4) {
                    return null;
                }
                float[] w = d.weight().toArray();
                List<float[]> tiles = new ArrayList<>();
                int n = Math.min(s[0], MAX_TILES);
                for (int o = 0; o < n; o++) {
                    float[] t = new float[s[1]];
                    System.arraycopy(w, o * s[1], t, 0, s[1]);
                    tiles.add(t);
                }
                return new ImageGrid(e.getKey() + ": weights of " + (n < s[0] ? "the first " + n + " of " : "") + s[0]
                        + " neurons as " + side + "×" + side + " images", tiles, side, side).colormap(true);
            }
        }
        return null;
    }

    /** The output channels of layer {@code name} for one input x [1, …], as a grid (up to {@link #MAX_TILES}). */
    public static ImageGrid featureMaps(Module model, String name, Tensor x) {
        Module m = model.module(name);
        Tensor[] seen = new Tensor[1];
        UnaryOperator<Tensor> previous = m.setForwardHook(t -> {
            seen[0] = t;
            return t;
        });
        try (var ignored = Autograd.noGrad()) {
            model.call(x);
        } finally {
            m.setForwardHook(previous);
        }
        if (seen[0] == null || seen[0].shape().length != 4) {
            throw new IllegalArgumentException("layer '" + name + "' has no feature maps [1, C, h, w]"
                    + (seen[0] == null ? "" : "; its output is " + java.util.Arrays.toString(seen[0].shape())));
        }
        int[] s = seen[0].shape();
        float[] v = seen[0].toArray();
        int per = s[2] * s[3];
        List<float[]> tiles = new ArrayList<>();
        for (int c = 0; c < Math.min(s[1], MAX_TILES); c++) {
            float[] t = new float[per];
            System.arraycopy(v, c * per, t, 0, per);
            tiles.add(t);
        }
        return new ImageGrid("Feature maps of " + name + " (" + s[1] + " channels, " + s[2] + "×" + s[3] + ")", tiles, s[2], s[3]);
    }

    /**
     * A diagram of a network made only of dense layers (and activations, dropout, flattening) of at
     * most 64 units each, or null for any other network.
     */
    public static NetworkDiagram diagram(Module model, List<String> inputNames, List<String> outputNames) {
        List<float[][]> weights = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m == model || m.children().size() > 0) {
                continue;
            }
            if (m instanceof Dense d) {
                int[] s = d.weight().shape();
                if (s[0] > 64 || s[1] > 64) {
                    return null;
                }
                float[] w = d.weight().toArray();
                float[][] rows = new float[s[0]][s[1]];
                for (int o = 0; o < s[0]; o++) {
                    System.arraycopy(w, o * s[1], rows[o], 0, s[1]);
                }
                weights.add(rows);
            } else if (!(m instanceof Activation || m instanceof Dropout || m instanceof Flatten || m instanceof Identity || m instanceof Unflatten)) {
                return null;
            }
        }
        if (weights.isEmpty()) {
            return null;
        }
        NetworkDiagram d = new NetworkDiagram("Network: edge colour = sign of w (red +, blue −), width ∝ |w|", weights);
        if (inputNames != null && inputNames.size() == weights.get(0)[0].length) {
            d.inputNames(inputNames);
        }
        if (outputNames != null && outputNames.size() == weights.get(weights.size() - 1).length) {
            d.outputNames(outputNames);
        }
        return d;
    }
}
