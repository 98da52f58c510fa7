package org.omomi.tensor;

import org.omomi.kernel.Gemm;
import org.omomi.kernel.Loops;
import org.omomi.kernel.Parallel;

/**
 * 2-D convolution on dense NCHW arrays, as PyTorch defines it: the body of
 * {@link Tensor#conv2d(Tensor, Tensor, int[], int[], int[], int)} (documented there) with its
 * backward right under it, then the kernels it runs. Pooling ({@link Pooling}) shares the
 * window {@link Geometry}.
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
            // floor((H + 2p − d(k − 1) − 1) / s) + 1, as PyTorch: floorDiv, because Java's / rounds a
            // negative numerator (a kernel larger than the input) towards zero, which made it 1
            // and sent the kernels outside the input.
            // In longs: a padding of 10⁹ (a model.json damaged by hand) overflowed an int.
            long ho = Math.floorDiv(x[2] + 2L * ph - (long) dh * (kh - 1) - 1, sh) + 1;
            long wo = Math.floorDiv(x[3] + 2L * pw - (long) dw * (kw - 1) - 1, sw) + 1;
            if (ho < 1 || wo < 1) {
                throw new IllegalArgumentException(op + ": a " + kh + "×" + kw + " kernel does not fit input " + Shapes.str(x)
                        + " with padding " + ph + "×" + pw);
            }
            // The unfolded input (C·kh·kw rows of N·ho·wo) and the output planes must fit Java arrays.
            fits(op, ho + "×" + wo + " outputs for each of " + x[0] + "×" + x[1] + " planes", (double) x[0] * x[1] * ho * wo);
            fits(op, "an unfolded input of " + ((long) x[1] * kh * kw) + "×" + ((long) x[0] * ho * wo), (double) x[1] * kh * kw * x[0] * ho * wo);
            return new Geometry(x[0], x[1], x[2], x[3], kh, kw, sh, sw, ph, pw, dh, dw, (int) ho, (int) wo);
        }

        /** Refuses an array of {@code values} floats that Java cannot hold (2³¹ − 1 elements at most). */
        static void fits(String op, String what, double values) {
            if (values > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": " + what + " is more values (" + String.format(java.util.Locale.ROOT, "%.3g", values)
                        + ") than one array holds");
            }
        }

        int outPlane() {
            return ho * wo;
        }
    }

    /** {@link Tensor#conv2d(Tensor, Tensor, int[], int[], int[], int)}: im2col + GEMM forward, then dW = dY·colsᵀ and dx = col2im(Wᵀ·dY). */
    static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (weight.shape.length != 4) {
            throw new IllegalArgumentException("conv2d: weight must be [O, C/groups, kh, kw], got " + Shapes.str(weight.shape));
        }
        int o = weight.shape[0];
        if (groups < 1 || shape.length != 4 || shape[1] % groups != 0 || o % groups != 0 || weight.shape[1] != shape[1] / groups) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(shape) + " and weight " + Shapes.str(weight.shape)
                    + " do not match with " + groups + " group(s) (input channels / groups must equal the weight's second dimension)");
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != o)) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape) + " for " + o + " output channels");
        }
        Geometry g = Geometry.of("conv2d", shape, weight.shape[2], weight.shape[3],
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        float[] x = input.denseData();
        float[] w = weight.denseData();
        float[][] cols = new float[groups][];
        float[] y = forward(x, w, bias == null ? null : bias.denseData(), g, o, groups, cols);
        Tensor result = new Tensor(y, new int[] {g.n(), o, g.ho(), g.wo()});
        boolean needs = Autograd.isEnabled() && (input.requiresGrad() || weight.requiresGrad() || (bias != null && bias.requiresGrad()));
        if (!needs) {
            for (float[] c : cols) {
                Scratch.give(c);
            }
            return result;
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Tensor.record(result, "conv2d", grad -> {
            // The columns are borrowed scratch memory, returned after this backward pass: like
            // PyTorch without retain_graph, a second backward through the same graph is refused.
            if (cols[0] == null) {
                throw new IllegalStateException("conv2d: backward through this part of the graph a second time; "
                        + "its saved columns were freed after the first");
            }
            float[] dy = grad.denseData();
            int cg = g.c() / groups;
            int og = o / groups;
            int k = cg * g.kh() * g.kw();
            int ncols = g.n() * g.outPlane();
            float[] dx = input.requiresGrad() ? new float[numel] : null;
            float[] dw = weight.requiresGrad() ? new float[weight.numel] : null;
            for (int grp = 0; grp < groups; grp++) {
                float[] dyg = groupGradient(dy, g, o, og, grp);
                if (dw != null) {
                    Gemm.sgemm(false, true, og, k, ncols, 1f, dyg, 0, ncols, cols[grp], 0, ncols, 0f, dw, grp * og * k, k);
                }
                Scratch.give(cols[grp]);
                cols[grp] = null;
                if (dx != null) {
                    float[] dcols = Scratch.take(k * ncols); // fully written by GEMM
                    Gemm.sgemm(true, false, k, ncols, og, 1f, w, grp * og * k, k, dyg, 0, ncols, 0f, dcols, 0, ncols);
                    col2im(dcols, g, grp * cg, cg, dx);
                    Scratch.give(dcols);
                }
                Scratch.give(dyg);
            }
            Tensor db = null;
            if (bias != null && bias.requiresGrad()) {
                float[] d = new float[o];
                int l = g.outPlane();
                for (int n = 0; n < g.n(); n++) {
                    for (int ch = 0; ch < o; ch++) {
                        double sum = 0;
                        int at = (n * o + ch) * l;
                        for (int p = 0; p < l; p++) {
                            sum += dy[at + p];
                        }
                        d[ch] += (float) sum;
                    }
                }
                db = new Tensor(d, bias.shape.clone());
            }
            Tensor tdx = dx == null ? null : new Tensor(dx, shape.clone());
            Tensor tdw = dw == null ? null : new Tensor(dw, weight.shape.clone());
            return bias == null ? new Tensor[] {tdx, tdw} : new Tensor[] {tdx, tdw, db};
        }, inputs);
    }

    /**
     * {@link Tensor#conv2dReluMaxPool2}: the convolution's GEMM result, per group [O/g, N·L] in a
     * scratch array, is pooled in place after the ReLU, window by window with {@link Pooling}'s
     * comparisons; {@code which} keeps the winner of each window (0–3 in scan order). The backward
     * pass writes the convolution's output gradient straight into the GEMM layout: at a window's
     * winner (0 + dP)·mask, where mask = min(P·2²⁰⁰, 1) is ReLU's (P is the winner's value), and 0
     * at the other three, exactly what max pooling's and ReLU's backward rules give; then dW, db and
     * dx as {@link #conv2d}.
     */
    static Tensor conv2dReluMaxPool2(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] shape = input.shape;
        int numel = input.numel;
        if (weight.shape.length != 4) {
            throw new IllegalArgumentException("conv2dReluMaxPool2: weight must be [O, C/groups, kh, kw], got " + Shapes.str(weight.shape));
        }
        int o = weight.shape[0];
        if (groups < 1 || shape.length != 4 || shape[1] % groups != 0 || o % groups != 0 || weight.shape[1] != shape[1] / groups) {
            throw new IllegalArgumentException("conv2dReluMaxPool2: input " + Shapes.str(shape) + " and weight " + Shapes.str(weight.shape)
                    + " do not match with " + groups + " group(s) (input channels / groups must equal the weight's second dimension)");
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != o)) {
            throw new IllegalArgumentException("conv2dReluMaxPool2: bias " + Shapes.str(bias.shape) + " for " + o + " output channels");
        }
        Geometry g = Geometry.of("conv2dReluMaxPool2", shape, weight.shape[2], weight.shape[3],
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        if (g.ho() < 2 || g.wo() < 2) {
            throw new IllegalArgumentException("conv2dReluMaxPool2: a " + g.ho() + "×" + g.wo() + " convolution output is too small for 2×2 pooling");
        }
        Geometry.fits("conv2dReluMaxPool2", "a convolution output of " + g.n() + "×" + o + "×" + g.ho() + "×" + g.wo(),
                (double) g.n() * o * g.outPlane());
        int cg = g.c() / groups;
        int og = o / groups;
        int k = cg * g.kh() * g.kw();
        int l = g.outPlane();
        int ncols = g.n() * l;
        int hp = g.ho() / 2;
        int wp = g.wo() / 2;
        int lp = hp * wp;
        float[] x = input.denseData();
        float[] w = weight.denseData();
        float[] b = bias == null ? null : bias.denseData();
        boolean needs = Autograd.isEnabled() && (input.requiresGrad() || weight.requiresGrad() || (bias != null && bias.requiresGrad()));
        float[] pooled = new float[g.n() * o * lp];
        byte[] which = needs ? new byte[pooled.length] : null;
        float[][] cols = new float[groups][];
        float[] res = Scratch.take(og * ncols); // fully written by GEMM (prefilled with the bias when there is one)
        for (int grp = 0; grp < groups; grp++) {
            cols[grp] = im2col(x, g, grp * cg, cg);
            if (b != null) {
                for (int oc = 0; oc < og; oc++) {
                    java.util.Arrays.fill(res, oc * ncols, (oc + 1) * ncols, b[grp * og + oc]);
                }
            }
            Gemm.sgemm(false, false, og, ncols, k, 1f, w, grp * og * k, k, cols[grp], 0, ncols, b != null ? 1f : 0f, res, 0, ncols);
            reluPool2x2(res, g, og, o, grp, pooled, which);
            if (!needs) {
                Scratch.give(cols[grp]);
                cols[grp] = null;
            }
        }
        Scratch.give(res);
        Tensor result = new Tensor(pooled, new int[] {g.n(), o, hp, wp});
        if (!needs) {
            return result;
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        return Tensor.record(result, "conv2dReluMaxPool2", grad -> {
            if (cols[0] == null) {
                throw new IllegalStateException("conv2dReluMaxPool2: backward through this part of the graph a second time; "
                        + "its saved columns were freed after the first");
            }
            float[] dp = grad.denseData();
            float[] dx = input.requiresGrad() ? new float[numel] : null;
            float[] dw = weight.requiresGrad() ? weight.gradArray(weight.numel) : null; // every element written: β = 0
            float[] db = bias != null && bias.requiresGrad() ? bias.gradArray(o) : null;
            if (db != null) {
                java.util.Arrays.fill(db, 0f);
            }
            for (int grp = 0; grp < groups; grp++) {
                float[] dyg = Scratch.take(og * ncols); // fully written below
                unpoolGradient(dp, pooled, which, g, og, o, grp, dyg);
                if (db != null) {
                    // As conv2d's backward: image by image, each plane summed in double.
                    for (int n = 0; n < g.n(); n++) {
                        for (int oc = 0; oc < og; oc++) {
                            double sum = 0;
                            int at = oc * ncols + n * l;
                            for (int q = 0; q < l; q++) {
                                sum += dyg[at + q];
                            }
                            db[grp * og + oc] += (float) sum;
                        }
                    }
                }
                if (dw != null) {
                    Gemm.sgemm(false, true, og, k, ncols, 1f, dyg, 0, ncols, cols[grp], 0, ncols, 0f, dw, grp * og * k, k);
                }
                Scratch.give(cols[grp]);
                cols[grp] = null;
                if (dx != null) {
                    float[] dcols = Scratch.take(k * ncols); // fully written by GEMM
                    Gemm.sgemm(true, false, k, ncols, og, 1f, w, grp * og * k, k, dyg, 0, ncols, 0f, dcols, 0, ncols);
                    col2im(dcols, g, grp * cg, cg, dx);
                    Scratch.give(dcols);
                }
                Scratch.give(dyg);
            }
            Tensor tdx = dx == null ? null : new Tensor(dx, shape.clone());
            Tensor tdw = dw == null ? null : Tensor.exclusive(new Tensor(dw, weight.shape.clone()));
            Tensor tdb = db == null ? null : Tensor.exclusive(new Tensor(db, bias.shape.clone()));
            return bias == null ? new Tensor[] {tdx, tdw} : new Tensor[] {tdx, tdw, tdb};
        }, inputs);
    }

    /**
     * pooled[n, grp·og + oc] = maxPool2x2(max(res[oc][n·L ...], 0)) for one group, with Pooling's
     * scan order, ties to the first and the same branch-free selects; {@code which} (may be null)
     * gets each window's winner, 0–3.
     */
    private static void reluPool2x2(float[] res, Geometry g, int og, int o, int grp, float[] pooled, byte[] which) {
        int l = g.outPlane();
        int ncols = g.n() * l;
        int w = g.wo();
        int hp = g.ho() / 2;
        int wp = w / 2;
        Parallel.forRange(og * g.n(), 8, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int oc = plane / g.n();
                int n = plane % g.n();
                int in = oc * ncols + n * l;
                int out = ((n * o) + grp * og + oc) * hp * wp;
                for (int oh = 0; oh < hp; oh++) {
                    int r0 = in + 2 * oh * w;
                    int r1 = r0 + w;
                    for (int ow = 0; ow < wp; ow++) {
                        int i0 = r0 + 2 * ow;
                        int i1 = r1 + 2 * ow;
                        float a = Math.max(res[i0], 0f);
                        float b = Math.max(res[i0 + 1], 0f);
                        float c = Math.max(res[i1], 0f);
                        float d = Math.max(res[i1 + 1], 0f);
                        float top = Math.max(a, b);
                        int topAt = b > a ? 1 : 0;
                        float bottom = Math.max(c, d);
                        int bottomAt = 2 + (d > c ? 1 : 0);
                        pooled[out] = Math.max(top, bottom);
                        if (which != null) {
                            which[out] = (byte) (bottom > top ? bottomAt : topAt);
                        }
                        out++;
                    }
                }
            }
        });
    }

    /**
     * The convolution's output gradient for one group, in the GEMM layout [og, N·L]: every element
     * written, (0 + dP)·min(P·2²⁰⁰, 1) at each window's winner, 0 elsewhere (also in a last odd
     * row or column that no window covers).
     */
    private static void unpoolGradient(float[] dp, float[] pooled, byte[] which, Geometry g, int og, int o, int grp, float[] dyg) {
        int l = g.outPlane();
        int ncols = g.n() * l;
        int w = g.wo();
        int hp = g.ho() / 2;
        int wp = w / 2;
        Parallel.forRange(og * g.n(), 8, (p0, p1) -> {
            for (int plane = p0; plane < p1; plane++) {
                int oc = plane / g.n();
                int n = plane % g.n();
                int at = oc * ncols + n * l;
                if (g.ho() % 2 != 0 || w % 2 != 0) {
                    java.util.Arrays.fill(dyg, at, at + l, 0f);
                }
                int src = ((n * o) + grp * og + oc) * hp * wp;
                for (int oh = 0; oh < hp; oh++) {
                    int r0 = at + 2 * oh * w;
                    int r1 = r0 + w;
                    for (int ow = 0; ow < wp; ow++) {
                        // Max pooling's backward adds dP to a zero; ReLU's multiplies by its mask.
                        float v = (0f + dp[src]) * Math.min(pooled[src] * 0x1p100f * 0x1p100f, 1f);
                        int win = which[src];
                        int i0 = r0 + 2 * ow;
                        int i1 = r1 + 2 * ow;
                        dyg[i0] = win == 0 ? v : 0f;
                        dyg[i0 + 1] = win == 1 ? v : 0f;
                        dyg[i1] = win == 2 ? v : 0f;
                        dyg[i1 + 1] = win == 3 ? v : 0f;
                        src++;
                    }
                }
            }
        });
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
        Geometry.fits("conv2d", "an output of " + g.n() + "×" + o + "×" + g.ho() + "×" + g.wo(), (double) g.n() * o * l);
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
}
