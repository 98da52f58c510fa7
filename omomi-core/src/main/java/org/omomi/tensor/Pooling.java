package org.omomi.tensor;

import org.omomi.kernel.Parallel;
import org.omomi.tensor.Convolution.Geometry;

/**
 * 2-D pooling, as PyTorch defines it: the bodies of {@link Tensor#maxPool2d},
 * {@link Tensor#avgPool2d} and {@link Tensor#adaptiveAvgPool2d} (documented there), each
 * backward right under its forward, then the kernels on dense NCHW arrays they run. Windows
 * are described by convolution's {@link Geometry}.
 */
final class Pooling {

    private Pooling() {}

    /** {@link Tensor#maxPool2d}: the gradient goes to the input index the forward recorded per window. */
    static Tensor maxPool2d(Tensor input, int kernel, int stride, int padding) {
        int[] shape = input.shape;
        int numel = input.numel;
        Geometry g = Geometry.of("maxPool2d", shape, kernel, kernel, stride, stride, padding, padding, 1, 1);
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("maxPool2d: padding " + padding + " is more than half the kernel " + kernel);
        }
        int[] argmax = new int[g.n() * g.c() * g.outPlane()];
        float[] y = maxPool(input.denseData(), g, argmax);
        Tensor result = new Tensor(y, new int[] {g.n(), g.c(), g.ho(), g.wo()});
        if (!Tensor.tracks(input)) {
            return result;
        }
        return Tensor.record(result, "maxPool2d", grad -> {
            float[] dy = grad.denseData();
            float[] dx = new float[numel];
            int l = g.outPlane();
            Parallel.forRange(g.n() * g.c(), 4, (p0, p1) -> { // windows stay inside their plane
                for (int i = p0 * l; i < p1 * l; i++) {
                    dx[argmax[i]] += dy[i];
                }
            });
            return new Tensor[] {new Tensor(dx, shape.clone())};
        }, input);
    }

    /** {@link Tensor#avgPool2d}: each window's gradient is shared by {@link #avgPoolBackward}. */
    static Tensor avgPool2d(Tensor input, int kernel, int stride, int padding, boolean countIncludePad) {
        int[] shape = input.shape;
        Geometry g = Geometry.of("avgPool2d", shape, kernel, kernel, stride, stride, padding, padding, 1, 1);
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("avgPool2d: padding " + padding + " is more than half the kernel " + kernel);
        }
        float[] divisors = new float[g.outPlane()];
        float[] y = avgPool(input.denseData(), g, countIncludePad, divisors);
        Tensor result = new Tensor(y, new int[] {g.n(), g.c(), g.ho(), g.wo()});
        if (!Tensor.tracks(input)) {
            return result;
        }
        return Tensor.record(result, "avgPool2d",
                grad -> new Tensor[] {new Tensor(avgPoolBackward(grad.denseData(), g, divisors), shape.clone())}, input);
    }

    /** {@link Tensor#adaptiveAvgPool2d}: each output's gradient is shared evenly over its window. */
    static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (shape.length != 4 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W] and a positive output size, got "
                    + Shapes.str(shape) + " → " + outH + "×" + outW);
        }
        int h = shape[2];
        int w = shape[3];
        int planes = shape[0] * shape[1];
        // Window bounds along each axis, shared by the forward and the backward pass.
        int[] h0 = new int[outH];
        int[] h1 = new int[outH];
        int[] w0 = new int[outW];
        int[] w1 = new int[outW];
        for (int i = 0; i < outH; i++) {
            h0[i] = adaptiveStart(i, h, outH);
            h1[i] = adaptiveEnd(i, h, outH);
        }
        for (int j = 0; j < outW; j++) {
            w0[j] = adaptiveStart(j, w, outW);
            w1[j] = adaptiveEnd(j, w, outW);
        }
        float[] x = input.denseData();
        float[] y = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    double sum = 0;
                    for (int a = h0[i]; a < h1[i]; a++) {
                        for (int b = w0[j]; b < w1[j]; b++) {
                            sum += x[p * h * w + a * w + b];
                        }
                    }
                    y[(p * outH + i) * outW + j] = (float) (sum / ((h1[i] - h0[i]) * (w1[j] - w0[j])));
                }
            }
        }
        Tensor result = new Tensor(y, new int[] {shape[0], shape[1], outH, outW});
        if (!Tensor.tracks(input)) {
            return result;
        }
        return Tensor.record(result, "adaptiveAvgPool2d", grad -> {
            float[] dy = grad.denseData();
            float[] dx = new float[numel];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        float share = dy[(p * outH + i) * outW + j] / ((h1[i] - h0[i]) * (w1[j] - w0[j]));
                        for (int a = h0[i]; a < h1[i]; a++) {
                            for (int b = w0[j]; b < w1[j]; b++) {
                                dx[p * h * w + a * w + b] += share;
                            }
                        }
                    }
                }
            }
            return new Tensor[] {new Tensor(dx, shape.clone())};
        }, input);
    }

    // ------------------------------------------------------------------ kernels

    /** Max pooling; {@code argmax} receives the flat input index each output came from (first maximum; NaN wins). */
    static float[] maxPool(float[] x, Geometry g, int[] argmax) {
        int l = g.outPlane();
        float[] y = new float[g.n() * g.c() * l];
        if (g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1) {
            maxPool2x2(x, g, y, argmax);
            return y;
        }
        Parallel.forRange(g.n() * g.c(), 4, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int in = plane * g.h() * g.w();
                for (int oh = 0; oh < g.ho(); oh++) {
                    for (int ow = 0; ow < g.wo(); ow++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int i = 0; i < g.kh(); i++) {
                            int ih = oh * g.sh() - g.ph() + i * g.dh();
                            if (ih < 0 || ih >= g.h()) {
                                continue;
                            }
                            for (int j = 0; j < g.kw(); j++) {
                                int iw = ow * g.sw() - g.pw() + j * g.dw();
                                if (iw < 0 || iw >= g.w()) {
                                    continue;
                                }
                                int idx = in + ih * g.w() + iw;
                                float v = x[idx];
                                if (at < 0 || v > best || (v != v && best == best)) { // v != v: NaN wins
                                    best = v;
                                    at = idx;
                                }
                            }
                        }
                        int out = plane * l + oh * g.wo() + ow;
                        y[out] = best;
                        argmax[out] = at;
                    }
                }
            }
        });
        return y;
    }

    /** The common 2×2, stride-2 window without padding: four values, three comparisons. */
    private static void maxPool2x2(float[] x, Geometry g, float[] y, int[] argmax) {
        int w = g.w();
        Parallel.forRange(g.n() * g.c(), 8, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int in = plane * g.h() * w;
                int out = plane * g.ho() * g.wo();
                for (int oh = 0; oh < g.ho(); oh++) {
                    int r0 = in + 2 * oh * w;
                    int r1 = r0 + w;
                    for (int ow = 0; ow < g.wo(); ow++) {
                        int i0 = r0 + 2 * ow;
                        int i1 = r1 + 2 * ow;
                        // Scan order (0,0), (0,1), (1,0), (1,1); a later value wins only when strictly
                        // larger, so the first maximum is kept, as in PyTorch. Branch-free: values by
                        // Math.max (a vmaxss sequence, NaN-propagating as in PyTorch), indices as int
                        // selects. After a ReLU the windows are full of ties and zeros, and the float
                        // selects of an earlier version compiled to branches mispredicted half the
                        // time: 12 ns per window instead of 3, a fifth of the CNN's training time.
                        // With a NaN in the window the index is unspecified (the loss is NaN anyway).
                        float a = x[i0];
                        float b = x[i0 + 1];
                        float c = x[i1];
                        float d = x[i1 + 1];
                        float top = Math.max(a, b);
                        int topAt = i0 + (b > a ? 1 : 0);
                        float bottom = Math.max(c, d);
                        int bottomAt = i1 + (d > c ? 1 : 0);
                        y[out] = Math.max(top, bottom);
                        argmax[out] = bottom > top ? bottomAt : topAt;
                        out++;
                    }
                }
            }
        });
    }

    /**
     * Average pooling; with {@code countPadding} (PyTorch's default) the divisor is the window size
     * clipped to the padded input, else the number of real input elements in the window.
     */
    static float[] avgPool(float[] x, Geometry g, boolean countPadding, float[] divisors) {
        int l = g.outPlane();
        float[] y = new float[g.n() * g.c() * l];
        for (int oh = 0; oh < g.ho(); oh++) {
            for (int ow = 0; ow < g.wo(); ow++) {
                int h0 = oh * g.sh() - g.ph();
                int w0 = ow * g.sw() - g.pw();
                int h1 = Math.min(h0 + g.kh(), g.h() + g.ph());
                int w1 = Math.min(w0 + g.kw(), g.w() + g.pw());
                int padded = (h1 - h0) * (w1 - w0);
                int real = (Math.min(h1, g.h()) - Math.max(h0, 0)) * (Math.min(w1, g.w()) - Math.max(w0, 0));
                divisors[oh * g.wo() + ow] = countPadding ? padded : real;
            }
        }
        Parallel.forRange(g.n() * g.c(), 4, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int in = plane * g.h() * g.w();
                for (int oh = 0; oh < g.ho(); oh++) {
                    for (int ow = 0; ow < g.wo(); ow++) {
                        double sum = 0;
                        for (int ih = Math.max(0, oh * g.sh() - g.ph()); ih < Math.min(g.h(), oh * g.sh() - g.ph() + g.kh()); ih++) {
                            for (int iw = Math.max(0, ow * g.sw() - g.pw()); iw < Math.min(g.w(), ow * g.sw() - g.pw() + g.kw()); iw++) {
                                sum += x[in + ih * g.w() + iw];
                            }
                        }
                        y[plane * l + oh * g.wo() + ow] = (float) (sum / divisors[oh * g.wo() + ow]);
                    }
                }
            }
        });
        return y;
    }

    /** The adjoint of {@link #avgPool}. */
    static float[] avgPoolBackward(float[] dy, Geometry g, float[] divisors) {
        int l = g.outPlane();
        float[] dx = new float[g.n() * g.c() * g.h() * g.w()];
        Parallel.forRange(g.n() * g.c(), 4, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int in = plane * g.h() * g.w();
                for (int oh = 0; oh < g.ho(); oh++) {
                    for (int ow = 0; ow < g.wo(); ow++) {
                        float share = dy[plane * l + oh * g.wo() + ow] / divisors[oh * g.wo() + ow];
                        for (int ih = Math.max(0, oh * g.sh() - g.ph()); ih < Math.min(g.h(), oh * g.sh() - g.ph() + g.kh()); ih++) {
                            for (int iw = Math.max(0, ow * g.sw() - g.pw()); iw < Math.min(g.w(), ow * g.sw() - g.pw() + g.kw()); iw++) {
                                dx[in + ih * g.w() + iw] += share;
                            }
                        }
                    }
                }
            }
        });
        return dx;
    }

    /** Start of adaptive window i of n over a length: ⌊i·len / n⌋, as PyTorch. */
    static int adaptiveStart(int i, int len, int n) {
        return (int) Math.floor((double) i * len / n);
    }

    /** End (exclusive) of adaptive window i: ⌈(i + 1)·len / n⌉. */
    static int adaptiveEnd(int i, int len, int n) {
        return (int) Math.ceil((double) (i + 1) * len / n);
    }
}
