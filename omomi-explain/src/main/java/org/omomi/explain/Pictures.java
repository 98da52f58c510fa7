package org.omomi.explain;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.Overlay;

/** Pictures of explanations: an image beside its map and the overlay, or a bar per feature. */
public final class Pictures {

    /** Pixels per input pixel in explanation panels (28 × 8 = 224 px). */
    public static final int SCALE = 8;

    private Pictures() {}

    /**
     * Three panels: the input image, the map, and the map laid over the image. Integrated Gradients
     * is drawn signed (red raises F, blue lowers it); saliency, SmoothGrad and Grad-CAM are
     * non-negative, and IG's colours are clipped at the 99th percentile of |attribution|.
     * {@code image} is the picture as a person sees it (before standardization).
     */
    public static BufferedImage panels(Attribution a, float[] image, int h, int w, String title) {
        if (a.values().length != h * w) {
            throw new IllegalArgumentException("an image explanation needs " + h + "×" + w + " values, got " + a.values().length);
        }
        boolean signed = a.method().equals("integrated_gradients");
        float[] shown = signed ? clip(a.values(), 99) : a.values();
        List<BufferedImage> images = new ArrayList<>();
        images.add(Overlay.over(image, new float[h * w], h, w, SCALE, false, 0));
        images.add(Overlay.map(shown, h, w, SCALE, signed));
        images.add(Overlay.over(image, shown, h, w, SCALE, signed, 0.75));
        String name = switch (a.method()) {
            case "integrated_gradients" -> "Integrated Gradients";
            case "gradcam" -> "Grad-CAM (" + a.details().get("layer") + ")";
            case "smoothgrad" -> "SmoothGrad";
            default -> "saliency |∂F/∂x|";
        };
        return Overlay.panels(title, images, List.of("input", name, "overlay"));
    }

    /**
     * Attributions for display: clipped at the given percentile of |value| so that a few extreme
     * pixels do not wash out the rest (Captum's visualiser clips its top 2%); the JSON keeps the
     * exact values.
     */
    static float[] clip(float[] v, double percentile) {
        float[] mags = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            mags[i] = Math.abs(v[i]);
        }
        java.util.Arrays.sort(mags);
        float limit = mags[Math.min(v.length - 1, (int) Math.floor(percentile / 100 * (v.length - 1)))];
        if (!(limit > 0)) {
            return v.clone();
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(-limit, Math.min(limit, v[i]));
        }
        return out;
    }

    /** One line that says what an explanation is about: target, F and, for IG, δ. */
    public static String summary(Attribution a, String targetName) {
        String f = a.output().label();
        StringBuilder sb = new StringBuilder();
        sb.append("target ").append(targetName).append(", F = ").append(f).append(String.format(Locale.ROOT, " %.4g", a.fx()));
        if (!Double.isNaN(a.delta())) {
            sb.append(String.format(Locale.ROOT, ", F(baseline) %.4g, δ = %+.3g (%.2f%% of |ΔF|), %s steps %s",
                    a.fBaseline(), a.delta(), 100 * a.relativeDelta(), a.details().get("steps"), a.details().get("rule")));
        }
        return sb.toString();
    }

    /** A bar per feature, largest |value| first, at most {@code limit} bars. */
    public static BufferedImage bars(String title, String valueLabel, List<String> names, float[] values, boolean signed, int limit) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(Math.abs(values[y]), Math.abs(values[x])));
        BarChart chart = new BarChart(title, valueLabel).signed(signed);
        int n = Math.min(limit, values.length);
        for (int k = 0; k < n; k++) {
            chart.bar(names.get(order[k]), values[order[k]]);
        }
        return chart.render(820);
    }
}
