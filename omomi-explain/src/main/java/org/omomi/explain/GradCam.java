package org.omomi.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.omomi.nn.Activation;
import org.omomi.nn.BasicBlock;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Grad-CAM (Selvaraju et al. 2017) on any convolutional layer: with A the layer's output [K, h, w]
 * and y_c the pre-softmax score of class c,
 * <pre>
 *   α_k = (1 / hw) Σ_ij ∂y_c/∂A_kij        map = ReLU(Σ_k α_k A_k)
 * </pre>
 * then bilinear upsampling to the input's height and width (PyTorch's {@code interpolate}, {@code
 * align_corners=False}). A map with no positive value is all zeros, never NaN: there is nothing to
 * normalise by, so nothing is. On a network that ends conv → global average pooling → dense, the
 * map equals CAM (Zhou et al. 2016) divided by hw.
 */
public final class GradCam {

    private GradCam() {}

    /**
     * The map for class {@code target} at the layer named {@code layer} (a dotted module name;
     * null picks {@link #defaultLayer}). The attribution's values are the upsampled map, shape
     * [H, W] of the input; its details hold the layer, the α and the map at the layer's resolution.
     */
    public static Attribution of(Module model, Tensor x, int target, String layer) {
        int[] xs = x.shape();
        if (xs.length != 4) {
            throw new IllegalArgumentException("Grad-CAM needs an image input [1, C, H, W], got " + java.util.Arrays.toString(xs)
                    + "; for a model that takes flat images, give the image's height and width");
        }
        return of(model, x, target, layer, xs[2], xs[3]);
    }

    /**
     * As {@link #of(Module, Tensor, int, String)} for a model whose input is any shape [1, …] (a
     * flat image that the model unflattens, say), upsampling the map to {@code height × width}.
     */
    public static Attribution of(Module model, Tensor x, int target, String layer, int height, int width) {
        Explained.exampleShape(x);
        String name = layer != null ? layer : defaultLayer(model, x);
        Module m = model.module(name);
        Tensor[] seen = new Tensor[1];
        UnaryOperator<Tensor> previous = m.setForwardHook(t -> {
            seen[0] = t;
            return t;
        });
        Tensor a;
        Tensor grad;
        double score;
        try (var ignored = Autograd.enableGrad()) {
            Tensor in = x.detach().requiresGrad(true); // keeps A in the graph even for a frozen model
            Tensor y = new Explained(model, target, Attribution.Output.LOGIT).apply(in).sum();
            a = seen[0];
            if (a == null || a.shape().length != 4) {
                throw new IllegalArgumentException("layer '" + name + "' has no convolutional output [1, K, h, w]"
                        + (a == null ? " (it did not run)" : ": " + java.util.Arrays.toString(a.shape())));
            }
            score = y.item();
            grad = Autograd.grad(y, a)[0];
        } finally {
            m.setForwardHook(previous);
        }
        int k = a.shape()[1];
        int h = a.shape()[2];
        int w = a.shape()[3];
        float[] av = a.toArray();
        float[] gv = grad.toArray();
        double[] alpha = new double[k];
        float[] cam = new float[h * w];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int p = 0; p < h * w; p++) {
                s += gv[c * h * w + p];
            }
            alpha[c] = s / (h * w);
        }
        for (int p = 0; p < h * w; p++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += alpha[c] * av[c * h * w + p];
            }
            cam[p] = (float) Math.max(0, s);
        }
        float[] up = upsample(cam, h, w, height, width);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("layer", name);
        List<Object> al = new ArrayList<>();
        for (double v : alpha) {
            al.add(v);
        }
        details.put("alpha", al);
        details.put("cam_shape", List.of((long) h, (long) w));
        List<Object> cl = new ArrayList<>();
        for (float v : cam) {
            cl.add((double) v);
        }
        details.put("cam", cl);
        return new Attribution("gradcam", up, new int[] {height, width}, target, Attribution.Output.LOGIT, score,
                Double.NaN, Double.NaN, details);
    }

    /**
     * The layer Grad-CAM uses by default: of the convolutions, their activations and residual
     * blocks, the one that runs last with a 4-D output — in a plain CNN the last convolution's
     * ReLU, in a ResNet the last block. Its maps are the most semantic and still spatial.
     */
    public static String defaultLayer(Module model, Tensor x) {
        List<String> order = new ArrayList<>();
        Map<String, UnaryOperator<Tensor>> previous = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (!name.isEmpty() && (m instanceof Conv2d || m instanceof BasicBlock || m instanceof Activation)) {
                previous.put(name, m.setForwardHook(t -> {
                    if (t.shape().length == 4) {
                        order.add(name);
                    }
                    return t;
                }));
            }
        });
        try (var ignored = Autograd.noGrad()) {
            model.call(x);
        } finally {
            previous.forEach((name, hook) -> model.module(name).setForwardHook(hook));
        }
        if (order.isEmpty()) {
            throw new IllegalArgumentException("Grad-CAM needs a convolutional layer; this model has none");
        }
        return order.get(order.size() - 1);
    }

    /** Bilinear resize of an h×w map to H×W, sampling at pixel centres (align_corners=False). */
    public static float[] upsample(float[] map, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        for (int i = 0; i < outH; i++) {
            double sy = Math.max(0, (i + 0.5) * h / outH - 0.5);
            int y0 = Math.min((int) sy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double ly = sy - y0;
            for (int j = 0; j < outW; j++) {
                double sx = Math.max(0, (j + 0.5) * w / outW - 0.5);
                int x0 = Math.min((int) sx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double lx = sx - x0;
                double top = map[y0 * w + x0] * (1 - lx) + map[y0 * w + x1] * lx;
                double bottom = map[y1 * w + x0] * (1 - lx) + map[y1 * w + x1] * lx;
                out[i * outW + j] = (float) (top * (1 - ly) + bottom * ly);
            }
        }
        return out;
    }
}
