package org.omomi.tensor;

import org.omomi.kernel.Parallel;

/**
 * The body of {@link Tensor#batchNorm}, documented there: the fused forward, which updates the
 * running estimates in training, and right under it the closed-form backward, which needs only
 * the per-channel mean and 1/σ kept from the forward. The per-channel sums are
 * {@link ChannelSums}'.
 */
final class Normalization {

    private Normalization() {}

    /** {@link Tensor#batchNorm}. */
    static Tensor batchNorm(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                            boolean training, float momentum, float eps) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (shape.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, …], got " + Shapes.str(shape));
        }
        int n = shape[0];
        int c = shape[1];
        int spatial = numel / Math.max(1, n * c);
        for (Tensor t : new Tensor[] {weight, bias, runningMean, runningVar}) {
            if (t != null && (t.shape.length != 1 || t.shape[0] != c)) {
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + Shapes.str(t.shape) + " for " + c + " channels");
            }
        }
        int count = n * spatial;
        float[] x = input.denseData();
        float[] mean = new float[c];
        float[] invStd = new float[c];
        if (training) {
            if (count < 2) {
                throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, got input " + Shapes.str(shape));
            }
            float[] var = new float[c];
            Parallel.forRange(c, 1, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += ChannelSums.sum(x, (i * c + ch) * spatial, spatial);
                    }
                    double mu = sum / count;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        ss += ChannelSums.squaredDeviations(x, (i * c + ch) * spatial, spatial, mu);
                    }
                    mean[ch] = (float) mu;
                    var[ch] = (float) (ss / count);
                    invStd[ch] = (float) (1.0 / Math.sqrt(ss / count + eps));
                }
            });
            if (runningMean != null && runningVar != null) {
                float[] rm = runningMean.array();
                float[] rv = runningVar.array();
                float unbias = (float) count / (count - 1);
                for (int ch = 0; ch < c; ch++) {
                    rm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
                    rv[ch] = (1 - momentum) * rv[ch] + momentum * var[ch] * unbias;
                }
            }
        } else {
            float[] rm = runningMean.denseData();
            float[] rv = runningVar.denseData();
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = rm[ch];
                invStd[ch] = (float) (1.0 / Math.sqrt(rv[ch] + (double) eps));
            }
        }
        float[] w = weight == null ? null : weight.denseData();
        float[] b = bias == null ? null : bias.denseData();
        float[] y = new float[numel];
        Parallel.forRows(n * c, spatial, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int ch = plane % c;
                float scale = invStd[ch] * (w == null ? 1f : w[ch]);
                float shift = (b == null ? 0f : b[ch]) - mean[ch] * scale;
                int base = plane * spatial;
                for (int s = 0; s < spatial; s++) {
                    y[base + s] = x[base + s] * scale + shift;
                }
            }
        });
        Tensor result = new Tensor(y, shape.clone());
        boolean needs = Autograd.isEnabled() && (input.requiresGrad() || (weight != null && weight.requiresGrad()) || (bias != null && bias.requiresGrad()));
        if (!needs) {
            return result;
        }
        Tensor[] inputs = weight == null ? new Tensor[] {input} : new Tensor[] {input, weight, bias};
        return Tensor.record(result, "batchNorm", grad -> {
            float[] dy = grad.denseData();
            double[] sumDy = new double[c];
            double[] sumDyXhat = new double[c];
            Parallel.forRange(c, 1, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double a = 0;
                    double bsum = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * spatial;
                        a += ChannelSums.sum(dy, base, spatial);
                        bsum += ChannelSums.dotCentred(dy, x, base, spatial, mean[ch]);
                    }
                    sumDy[ch] = a;
                    sumDyXhat[ch] = bsum * invStd[ch]; // Σ dy·(x − μ)/σ, with 1/σ taken out of the sum
                }
            });
            Tensor dx = null;
            if (input.requiresGrad()) {
                float[] d = new float[numel];
                Parallel.forRows(n * c, spatial, (p0, p1) -> {
                    for (int plane = p0; plane < p1; plane++) {
                        int ch = plane % c;
                        float k = invStd[ch] * (w == null ? 1f : w[ch]);
                        int base = plane * spatial;
                        if (training) {
                            float meanDy = (float) (sumDy[ch] / count);
                            float meanDyXhat = (float) (sumDyXhat[ch] / count);
                            for (int s = 0; s < spatial; s++) {
                                float xhat = (x[base + s] - mean[ch]) * invStd[ch];
                                d[base + s] = k * (dy[base + s] - meanDy - xhat * meanDyXhat);
                            }
                        } else {
                            for (int s = 0; s < spatial; s++) {
                                d[base + s] = k * dy[base + s];
                            }
                        }
                    }
                });
                dx = new Tensor(d, shape.clone());
            }
            if (weight == null) {
                return new Tensor[] {dx};
            }
            float[] dw = new float[c];
            float[] db = new float[c];
            for (int ch = 0; ch < c; ch++) {
                dw[ch] = (float) sumDyXhat[ch];
                db[ch] = (float) sumDy[ch];
            }
            return new Tensor[] {dx, weight.requiresGrad() ? new Tensor(dw, new int[] {c}) : null,
                bias.requiresGrad() ? new Tensor(db, new int[] {c}) : null};
        }, inputs);
    }
}
