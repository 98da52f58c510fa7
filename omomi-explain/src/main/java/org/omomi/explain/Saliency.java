package org.omomi.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Gradient maps: saliency |∂F/∂x| (Simonyan et al. 2014) and SmoothGrad (Smilkov et al. 2017), the
 * mean of |∂F/∂x̃| over noisy copies x̃ = x + 𝒩(0, σ²) with σ a fraction of the input's range, which
 * removes the speckle plain gradients show. Both are Captum's {@code Saliency} (abs=True) and
 * {@code NoiseTunnel(Saliency, nt_type="smoothgrad")}.
 */
public final class Saliency {

    private Saliency() {}

    /** |∂F/∂x| for one example x of shape [1, …]. */
    public static Attribution of(Explained f, Tensor x) {
        int[] shape = Explained.exampleShape(x);
        float[] g = f.gradient(x).toArray();
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.abs(g[i]);
        }
        return new Attribution("saliency", g, shape, f.target(), f.output(), f.value(x), Double.NaN, Double.NaN, Map.of());
    }

    /**
     * SmoothGrad: the mean of |∂F/∂x̃| over {@code samples} noisy copies, σ = {@code noise} × (max x − min x)
     * (the paper recommends 10–20%), drawn from {@code rng}; the copies go through the model in
     * batches of up to 64.
     */
    public static Attribution smooth(Explained f, Tensor x, int samples, double noise, Rng rng) {
        int[] shape = Explained.exampleShape(x);
        if (samples < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("SmoothGrad needs samples ≥ 1 and noise ≥ 0, got " + samples + " and " + noise);
        }
        float[] v = x.toArray();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float a : v) {
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
        }
        double sigma = noise * (hi - lo);
        int n = v.length;
        double[] acc = new double[n];
        for (int done = 0; done < samples; done += 64) {
            int b = Math.min(64, samples - done);
            float[] noisy = new float[b * n];
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < n; i++) {
                    noisy[s * n + i] = (float) (v[i] + sigma * rng.nextGaussian());
                }
            }
            float[] g = f.gradient(Tensor.wrap(noisy, batchShape(b, shape))).toArray();
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < n; i++) {
                    acc[i] += Math.abs(g[s * n + i]);
                }
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (acc[i] / samples);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("samples", (long) samples);
        details.put("noise", noise);
        details.put("sigma", sigma);
        return new Attribution("smoothgrad", out, shape, f.target(), f.output(), f.value(x), Double.NaN, Double.NaN, details);
    }

    static int[] batchShape(int batch, int[] example) {
        int[] s = new int[example.length + 1];
        s[0] = batch;
        System.arraycopy(example, 0, s, 1, example.length);
        return s;
    }
}
