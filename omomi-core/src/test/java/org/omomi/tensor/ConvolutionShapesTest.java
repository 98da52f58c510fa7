package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conv2d against a direct six-loop convolution over random geometries: forward, and the input's
 * and weight's gradients for a random upstream gradient. Covers both im2col paths (the flat-shift
 * path of stride-1 convolutions whose output rows are as wide as the input's, and the general
 * one), including padding as large as the image, dilation and groups.
 */
class ConvolutionShapesTest {

    static Stream<Long> seeds() {
        return LongStream.range(0, 60).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matchesDirectConvolution(long seed) {
        Rng r = new Rng(seed);
        int groups = 1 + r.nextInt(2);
        int n = 1 + r.nextInt(3);
        int c = groups * (1 + r.nextInt(3));
        int o = groups * (1 + r.nextInt(3));
        int h = 1 + r.nextInt(9);
        int w = 1 + r.nextInt(9);
        int kh = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(4);
        int sh = seed % 3 == 0 ? 2 : 1; // two thirds take stride 1, where the shift path applies
        int sw = seed % 3 == 0 ? 1 + r.nextInt(2) : 1;
        int dh = 1 + r.nextInt(2);
        int dw = 1 + r.nextInt(2);
        int ph = r.nextInt(5);
        int pw = r.nextInt(5);
        int ho = Math.floorDiv(h + 2 * ph - dh * (kh - 1) - 1, sh) + 1; // PyTorch's floor, not Java's truncation
        int wo = Math.floorDiv(w + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
        if (ho < 1 || wo < 1) { // the kernel does not fit: make it 1×1 instead
            kh = 1;
            kw = 1;
            ho = (h + 2 * ph - 1) / sh + 1;
            wo = (w + 2 * pw - 1) / sw + 1;
        }
        int cg = c / groups;
        int og = o / groups;
        Tensor x = Tensor.randn(r, n, c, h, w).requiresGrad(true);
        Tensor wt = Tensor.randn(r, o, cg, kh, kw).requiresGrad(true);
        Tensor dy = Tensor.randn(r, n, o, ho, wo);
        Tensor y = x.conv2d(wt, null, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, groups);
        y.backward(dy);

        float[] xs = x.toArray();
        float[] ws = wt.toArray();
        float[] g = dy.toArray();
        double[] yRef = new double[n * o * ho * wo];
        double[] dxRef = new double[xs.length];
        double[] dwRef = new double[ws.length];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int grp = oc / og;
                for (int oi = 0; oi < ho; oi++) {
                    for (int oj = 0; oj < wo; oj++) {
                        int yi = ((b * o + oc) * ho + oi) * wo + oj;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = oi * sh - ph + i * dh;
                                    int iw = oj * sw - pw + j * dw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                        continue;
                                    }
                                    int xi = ((b * c + grp * cg + ic) * h + ih) * w + iw;
                                    int wi = ((oc * cg + ic) * kh + i) * kw + j;
                                    yRef[yi] += (double) xs[xi] * ws[wi];
                                    dxRef[xi] += (double) g[yi] * ws[wi];
                                    dwRef[wi] += (double) g[yi] * xs[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        String where = "n" + n + " c" + c + " o" + o + " " + h + "×" + w + " k" + kh + "×" + kw + " s" + sh + "×" + sw
                + " p" + ph + "×" + pw + " d" + dh + "×" + dw + " g" + groups;
        assertClose(yRef, y.toArray(), "forward " + where);
        assertClose(dxRef, x.grad().toArray(), "dx " + where);
        assertClose(dwRef, wt.grad().toArray(), "dw " + where);
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    /** Found by fuzzing model.json on its way to ONNX: a 2×2 window over a 1×1 input read outside the input. */
    @org.junit.jupiter.api.Test
    void aKernelLargerThanTheInputIsRefusedAsPyTorchDoes() {
        Tensor x = Tensor.zeros(1, 1, 1, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> x.maxPool2d(2, 2, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("kernel does not fit input [1, 1, 1, 1]"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1, 2, 2).maxPool2d(3, 3, 0));
        org.junit.jupiter.api.Assertions.assertEquals(1, Tensor.zeros(1, 1, 2, 2).maxPool2d(2, 2, 0).shape()[2], "a window that fits still does");
    }

    /**
     * The 10⁶ fuzz run's find (8 cases from case 317,279): a conv2d padding of 10⁹ in model.json made
     * the output size overflow an int, and the array's length went negative
     * (NegativeArraySizeException). Sizes are now computed in longs and refused when no array holds them.
     */
    @org.junit.jupiter.api.Test
    void anOutputNoArrayCanHoldIsRefused() {
        Tensor x = Tensor.zeros(1, 1, 6, 6);
        Tensor w = Tensor.zeros(4, 1, 3, 3);
        for (int padding : new int[] {1_000_000_000, Integer.MAX_VALUE, 40_000}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> x.conv2d(w, null, new int[] {1, 1}, new int[] {padding, padding}, new int[] {1, 1}, 1), "padding " + padding);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("than one array holds"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> x.maxPool2d(2, 2, padding), "pool, padding " + padding);
        }
        // 24,006² outputs fit in one plane, but not four output channels of them.
        Tensor w1 = Tensor.zeros(4, 1, 1, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(w1, null, new int[] {1, 1}, new int[] {12_000, 12_000}, new int[] {1, 1}, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("conv2d: an output of 1×4×"), e.getMessage());
    }
}
