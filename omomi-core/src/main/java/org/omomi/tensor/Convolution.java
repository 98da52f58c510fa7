package org.omomi.tensor;

import org.omomi.kernel.Gemm;
import org.omomi.kernel.Loops;
import org.omomi.kernel.Parallel;

/**
 * 2-D convolution and pooling kernels on dense NCHW arrays, as PyTorch defines them.
 *
 * <p>Convolution is im2col + GEMM over the whole batch: for each group, the receptive fields of
 * every output position of every image become the columns of a [C/g·kh·kw, N·Ho·Wo] matrix, and
 * one multiplication by the weight [O/g, C/g·kh·kw] gives [O/g, N·Ho·Wo], whose rows are already
 * each image's output planes in order. The backward pass multiplies by the same columns for the
 * weight's gradient, and scatters Wᵀ·dY back through col2im for the input's.
 */
final class Convolution {

    private Convolution() {}

    /** Geometry of one convolution or pooling: input, kernel, stride, padding, dilation, output. */
    record Geometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int ho, int wo) {

        static Geometry of(String op, int[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
            if (x.length != 4) {
                throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Shapes.str(x));
            }
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || dh < 1 || dw < 1) {
                throw new IllegalArgumentException(op + ": kernel, stride and dilation must be positive and padding ≥ 0");
            }
            int ho = (x[2] + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
            int wo = (x[3] + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
            if (ho < 1 || wo < 1) {
                throw new IllegalArgumentException(op + ": a " + kh + "×" + kw + " kernel does not fit input " + Shapes.str(x)
                        + " with padding " + ph + "×" + pw);
            }
            return new Geometry(x[0], x[1], x[2], x[3], kh, kw, sh, sw, ph, pw, dh, dw, ho, wo);
        }

        int outPlane() {
            return ho * wo;
        }
    }

    /**
     * cols[(c·kh + i)·kw + j][n·L + oh·Wo + ow] = x[n, c0 + c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]
     * (0 outside), for the {@code cg} channels from {@code c0}.
     */
    static float[] im2col(float[] x, Geometry g, int c0, int cg) {
        int l = g.outPlane();
        int cols = g.n() * l;
        int rows = cg * g.kh() * g.kw();
        float[] out = Scratch.take(rows * cols); // every element is written below
        Shift[] shifts = Shift.forTaps(g);
        Parallel.forRange(rows, Math.max(1, (1 << 16) / Math.max(1, cols)), (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int j = row % g.kw();
                int i = (row / g.kw()) % g.kh();
                int c = row / (g.kw() * g.kh());
                int base = row * cols;
                Shift s = shifts == null ? null : shifts[i * g.kw() + j];
                for (int n = 0; n < g.n(); n++) {
                    int plane = ((n * g.c()) + c0 + c) * g.h() * g.w();
                    if (s != null) {
                        int dst = base + n * l;
                        java.util.Arrays.fill(out, dst, dst + s.pLo, 0f);
                        if (s.pHi > s.pLo) {
                            System.arraycopy(x, plane + s.pLo + s.offset, out, dst + s.pLo, s.pHi - s.pLo);
                        }
                        java.util.Arrays.fill(out, dst + Math.max(s.pLo, s.pHi), dst + l, 0f);
                        s.clearWrapped(out, dst);
                        continue;
                    }
                    for (int oh = 0; oh < g.ho(); oh++) {
                        int ih = oh * g.sh() - g.ph() + i * g.dh();
                        int dst = base + n * l + oh * g.wo();
                        if (ih < 0 || ih >= g.h()) {
                            java.util.Arrays.fill(out, dst, dst + g.wo(), 0f);
                            continue;
                        }
                        int src = plane + ih * g.w();
                        int iw0 = -g.pw() + j * g.dw();
                        if (g.sw() == 1) {
                            // Columns iw0 + ow: a copy of the in-range stretch, zeros around it.
                            int lo = Math.min(Math.max(0, -iw0), g.wo());
                            int hi = Math.max(Math.min(g.wo(), g.w() - iw0), lo);
                            for (int z = 0; z < lo; z++) { // padding is a pixel or two: no call per zero
                                out[dst + z] = 0f;
                            }
                            if (hi > lo) {
                                System.arraycopy(x, src + iw0 + lo, out, dst + lo, hi - lo);
                            }
                            for (int z = hi; z < g.wo(); z++) {
                                out[dst + z] = 0f;
                            }
                        } else {
                            for (int ow = 0; ow < g.wo(); ow++) {
                                int iw = iw0 + ow * g.sw();
                                out[dst + ow] = iw >= 0 && iw < g.w() ? x[src + iw] : 0f;
                            }
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * A stride-1 convolution whose output rows are as wide as the input's (3×3 with padding 1, the
     * common case) reads, for each kernel tap (i, j), the input plane shifted by one flat offset:
     * output position p = oh·W + ow takes input p + (i·dh − ph)·W + (j·dw − pw). So im2col is one
     * copy of a plane and col2im one vector add, instead of a call per output row, which for the
     * 14×14, 7×7 and 4×4 planes of a small ResNet cost more than the copying. Only the rows that
     * fall outside the input and the few columns that wrap into the neighbouring row need fixing.
     */
    private static final class Shift {
        final Geometry g;
        final int offset; // flat input offset of output position p
        final int pLo, pHi; // the contiguous stretch of output positions to copy
        final int ohLo, ohHi; // output rows that read inside the input
        final int owLo, owHi; // output columns that read inside the input

        /** One shift per kernel tap, index i·kw + j; null when the convolution is not of this kind. */
        static Shift[] forTaps(Geometry g) {
            if (g.sh() != 1 || g.sw() != 1 || g.wo() != g.w()) {
                return null;
            }
            Shift[] shifts = new Shift[g.kh() * g.kw()];
            for (int t = 0; t < shifts.length; t++) {
                shifts[t] = new Shift(g, t / g.kw(), t % g.kw());
            }
            return shifts;
        }

        Shift(Geometry g, int i, int j) {
            this.g = g;
            int di = i * g.dh() - g.ph();
            int dj = j * g.dw() - g.pw();
            offset = di * g.w() + dj;
            ohLo = Math.min(Math.max(0, -di), g.ho());
            ohHi = Math.max(Math.min(g.ho(), g.h() - di), ohLo);
            owLo = Math.min(Math.max(0, -dj), g.w());
            owHi = Math.max(Math.min(g.w(), g.w() - dj), owLo);
            // The copy starts at the first valid column of the first valid row and ends after the
            // last valid column of the last valid row, so every input index it reads is in the plane.
            // Nothing to copy when no row or no column reads inside the input (padding ≥ the size).
            boolean any = ohHi > ohLo && owHi > owLo;
            pLo = any ? ohLo * g.w() + owLo : 0;
            pHi = any ? (ohHi - 1) * g.w() + owHi : 0;
        }

        /** Zeroes, in the valid rows, the columns that read outside the input (wrapped by the flat copy). */
        void clearWrapped(float[] a, int at) {
            int w = g.w();
            for (int oh = ohLo; oh < ohHi; oh++) {
                int row = at + oh * w;
                for (int ow = 0; ow < owLo; ow++) {
                    a[row + ow] = 0f;
                }
                for (int ow = owHi; ow < w; ow++) {
                    a[row + ow] = 0f;
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds each column entry back to the input position it came from. */
    static void col2im(float[] cols, Geometry g, int c0, int cg, float[] dx) {
        int l = g.outPlane();
        int ncols = g.n() * l;
        Shift[] shifts = Shift.forTaps(g);
        // Images are independent, so they can be split between threads without conflicting adds.
        Parallel.forRange(g.n(), 1, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < cg; c++) {
                    int plane = ((n * g.c()) + c0 + c) * g.h() * g.w();
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            int base = ((c * g.kh() + i) * g.kw() + j) * ncols + n * l;
                            if (shifts != null) {
                                // One add over the whole shifted plane; the wrapped entries are
                                // zeroed first (cols is this call's to consume), so they add nothing.
                                Shift s = shifts[i * g.kw() + j];
                                s.clearWrapped(cols, base);
                                if (s.pHi > s.pLo) {
                                    Loops.add(dx, plane + s.pLo + s.offset, cols, base + s.pLo, s.pHi - s.pLo);
                                }
                                continue;
                            }
                            for (int oh = 0; oh < g.ho(); oh++) {
                                int ih = oh * g.sh() - g.ph() + i * g.dh();
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                int src = base + oh * g.wo();
                                int dst = plane + ih * g.w();
                                int iw0 = -g.pw() + j * g.dw();
                                if (g.sw() == 1) {
                                    // The in-range stretch, without a test per element.
                                    int lo = Math.max(0, -iw0);
                                    int hi = Math.min(g.wo(), g.w() - iw0);
                                    if (hi > lo) {
                                        Loops.add(dx, dst + iw0 + lo, cols, src + lo, hi - lo);
                                    }
                                } else {
                                    for (int ow = 0; ow < g.wo(); ow++) {
                                        int iw = iw0 + ow * g.sw();
                                        if (iw >= 0 && iw < g.w()) {
                                            dx[dst + iw] += cols[src + ow];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** y = conv(x, w) + b for dense x [N, C, H, W] and w [O, C/groups, kh, kw]; b may be null. */
    static float[] forward(float[] x, float[] w, float[] b, Geometry g, int o, int groups, float[][] savedCols) {
        int cg = g.c() / groups;
        int og = o / groups;
        int k = cg * g.kh() * g.kw();
        int l = g.outPlane();
        int ncols = g.n() * l;
        float[] y = new float[g.n() * o * l];
        float[] res = Scratch.take(og * ncols); // fully written by GEMM (prefilled with the bias when there is one)
        for (int grp = 0; grp < groups; grp++) {
            float[] cols = im2col(x, g, grp * cg, cg);
            savedCols[grp] = cols;
            if (b != null) { // the bias enters through GEMM's β: rows start at their channel's bias
                for (int oc = 0; oc < og; oc++) {
                    java.util.Arrays.fill(res, oc * ncols, (oc + 1) * ncols, b[grp * og + oc]);
                }
            }
            Gemm.sgemm(false, false, og, ncols, k, 1f, w, grp * og * k, k, cols, 0, ncols, b != null ? 1f : 0f, res, 0, ncols);
            // res[oc][n·L + p] is y[n, grp·og + oc, p]: whole planes to copy.
            for (int oc = 0; oc < og; oc++) {
                int ch = grp * og + oc;
                for (int n = 0; n < g.n(); n++) {
                    System.arraycopy(res, oc * ncols + n * l, y, (n * o + ch) * l, l);
                }
            }
        }
        Scratch.give(res);
        return y;
    }

    /** dY [N, O, Ho, Wo] for one group as the matrix [O/g, N·L]. */
    static float[] groupGradient(float[] dy, Geometry g, int o, int og, int grp) {
        int l = g.outPlane();
        int ncols = g.n() * l;
        float[] m = Scratch.take(og * ncols); // fully written below
        for (int oc = 0; oc < og; oc++) {
            for (int n = 0; n < g.n(); n++) {
                System.arraycopy(dy, (n * o + grp * og + oc) * l, m, oc * ncols + n * l, l);
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ pooling

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
