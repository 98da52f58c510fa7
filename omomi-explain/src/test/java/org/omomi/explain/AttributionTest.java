package org.omomi.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.omomi.nn.Activation;
import org.omomi.nn.Conv2d;
import org.omomi.nn.Dense;
import org.omomi.nn.Flatten;
import org.omomi.nn.Pool2d;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Explanations checked against what they must equal on models where the answer is known. */
class AttributionTest {

    @ParameterizedTest
    @EnumSource(Quadrature.class)
    void integratedGradientsOfALinearModelIsWeightTimesInputMinusBaseline(Quadrature rule) {
        Rng rng = new Rng(3);
        Dense dense = new Dense(6, 3, rng);
        Sequential model = new Sequential(dense);
        model.eval();
        Tensor x = Tensor.randn(rng, 1, 6);
        Tensor baseline = Tensor.randn(rng, 1, 6);
        for (int target = 0; target < 3; target++) {
            Attribution a = IntegratedGradients.of(new Explained(model, target, Attribution.Output.LOGIT), x, baseline, 7, rule);
            float[] w = dense.weight().select(0, target).toArray();
            float[] xv = x.toArray();
            float[] bv = baseline.toArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(w[i] * (xv[i] - bv[i]), a.values()[i], 1e-5, "feature " + i);
            }
            assertEquals(0, a.delta(), 1e-5, "completeness holds exactly for a linear F");
            assertEquals(a.fx() - a.fBaseline(), a.sum(), 1e-5);
        }
    }

    @Test
    void integratedGradientsOfAProbabilityAddsUpToTheChangeInProbability() {
        Rng rng = new Rng(5);
        Sequential model = new Sequential(new Dense(4, 8, rng), Activation.tanh(), new Dense(8, 3, rng));
        model.eval();
        Tensor x = Tensor.randn(rng, 1, 4);
        Explained f = new Explained(model, 2, Attribution.Output.PROBABILITY);
        Attribution a = IntegratedGradients.of(f, x, Tensor.zeros(1, 4), 64, Quadrature.GAUSS_LEGENDRE);
        double p = model.call(x).softmax(1).get(0, 2);
        assertEquals(p, a.fx(), 1e-6, "F is the softmax probability");
        assertTrue(Math.abs(a.delta()) < 1e-4 * Math.max(1e-3, Math.abs(a.fx() - a.fBaseline())) + 1e-6, "δ = " + a.delta());
        assertEquals("probability", a.toJson().get("output"));
    }

    @Test
    void saliencyIsTheAbsoluteGradientAndSmoothGradAveragesIt() {
        Rng rng = new Rng(9);
        Dense dense = new Dense(5, 2, rng);
        Sequential model = new Sequential(dense);
        model.eval();
        Tensor x = Tensor.randn(rng, 1, 5);
        Explained f = new Explained(model, 1, Attribution.Output.LOGIT);
        Attribution s = Saliency.of(f, x);
        Attribution sg = Saliency.smooth(f, x, 20, 0.15, new Rng(1));
        float[] w = dense.weight().select(0, 1).toArray();
        for (int i = 0; i < 5; i++) {
            assertEquals(Math.abs(w[i]), s.values()[i], 1e-6);
            assertEquals(Math.abs(w[i]), sg.values()[i], 1e-6, "a linear model's gradient ignores the noise");
        }
    }

    /** conv → ReLU → global average pool → dense: Grad-CAM must equal CAM = Σ_k w_ck A_k divided by hw. */
    @Test
    void gradCamEqualsCamOverPositionsOnAGlobalAveragePoolingHead() {
        Rng rng = new Rng(11);
        Conv2d conv = new Conv2d(2, 5, 3, 1, 1, 1, 1, true, rng, null, null);
        Dense dense = new Dense(5, 4, rng);
        Sequential model = new Sequential(conv, Activation.relu(), Pool2d.globalAverage(), new Flatten(), dense);
        model.eval();
        Tensor x = Tensor.randn(rng, 1, 2, 6, 6);
        Tensor a = Activation.relu().call(conv.call(x));
        float[] av = a.toArray();
        for (int c = 0; c < 4; c++) {
            Attribution g = GradCam.of(model, x, c, "1");
            float[] w = dense.weight().select(0, c).toArray();
            @SuppressWarnings("unchecked")
            List<Object> cam = (List<Object>) g.details().get("cam");
            for (int p = 0; p < 36; p++) {
                double s = 0;
                for (int k = 0; k < 5; k++) {
                    s += w[k] * av[k * 36 + p];
                }
                assertEquals(Math.max(0, s) / 36, ((Number) cam.get(p)).doubleValue(), 1e-6, "class " + c + " position " + p);
            }
            assertEquals(36 * 1, g.values().length, "same resolution: upsampling is the identity");
        }
    }

    /** α_k = mean ∂y/∂A_k is the directional derivative along "all of channel k", divided by hw. */
    @Test
    @SuppressWarnings("unchecked")
    void gradCamWeightsMatchFiniteDifferences() {
        Rng rng = new Rng(13);
        Sequential model = new Sequential(new Conv2d(1, 3, 3, 1, 1, 1, 1, true, rng, null, null), Activation.tanh(),
                Pool2d.max(2, 2, 0), new Flatten(), new Dense(3 * 4 * 4, 8, rng), Activation.tanh(), new Dense(8, 3, rng));
        model.eval();
        Tensor x = Tensor.randn(rng, 1, 1, 8, 8);
        Attribution g = GradCam.of(model, x, 2, "1");
        List<Object> alpha = (List<Object>) g.details().get("alpha");
        var layer = model.module("1");
        double eps = 1e-2;
        for (int k = 0; k < 3; k++) {
            final int channel = k;
            double[] y = new double[2];
            for (int side = 0; side < 2; side++) {
                double shift = side == 0 ? eps : -eps;
                layer.setForwardHook(t -> {
                    float[] v = t.toArray();
                    for (int p = 0; p < 64; p++) {
                        v[channel * 64 + p] += (float) shift;
                    }
                    return Tensor.of(v, t.shape());
                });
                try (var ignored = org.omomi.tensor.Autograd.noGrad()) {
                    y[side] = model.call(x).get(0, 2);
                } finally {
                    layer.setForwardHook(null);
                }
            }
            double fd = (y[0] - y[1]) / (2 * eps) / 64;
            assertEquals(fd, ((Number) alpha.get(k)).doubleValue(), 2e-4 + 1e-2 * Math.abs(fd), "α of channel " + k);
        }
    }

    @Test
    void anAllNegativeGradCamIsZerosNotNaN() {
        Rng rng = new Rng(17);
        Conv2d conv = new Conv2d(1, 4, 3, 1, 1, 1, 1, true, rng, null, null);
        Dense dense = new Dense(4, 2, rng);
        Sequential model = new Sequential(conv, Activation.relu(), Pool2d.globalAverage(), new Flatten(), dense);
        // Class 0 weighs every (non-negative) channel negatively: Σ α_k A_k ≤ 0 everywhere.
        model.loadStateDict(Map.of("4.weight", Tensor.of(new float[] {-1, -2, -0.5f, -1, 1, 1, 1, 1}, 2, 4),
                "4.bias", Tensor.zeros(2), "0.weight", conv.weight(), "0.bias", conv.bias()));
        model.eval();
        Attribution g = GradCam.of(model, Tensor.randn(rng, 1, 1, 5, 5), 0, null);
        assertEquals("1", g.details().get("layer"), "default layer: the last convolution's activation");
        for (float v : g.values()) {
            assertFalse(Float.isNaN(v));
            assertEquals(0f, v);
        }
    }

    @Test
    void bilinearUpsamplingMatchesPyTorchsInterpolate() {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), mode="bilinear", align_corners=False)
        float[] expected = {1.00f, 1.25f, 1.75f, 2.00f, 1.50f, 1.75f, 2.25f, 2.50f, 2.50f, 2.75f, 3.25f, 3.50f, 3.00f, 3.25f, 3.75f, 4.00f};
        float[] up = GradCam.upsample(new float[] {1, 2, 3, 4}, 2, 2, 4, 4);
        for (int i = 0; i < 16; i++) {
            assertEquals(expected[i], up[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void badInputsAreNamed() {
        Sequential model = new Sequential(new Dense(3, 2, new Rng(1)));
        Explained f = new Explained(model, 5, Attribution.Output.LOGIT);
        var e = assertThrows(IllegalArgumentException.class, () -> Saliency.of(f, Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("target class 5"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Saliency.of(new Explained(model, 0, Attribution.Output.LOGIT), Tensor.zeros(2, 3)));
        assertTrue(e2.getMessage().contains("one example"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> GradCam.of(model, Tensor.zeros(1, 3), 0, null));
        assertTrue(e3.getMessage().contains("image input"), e3.getMessage());
    }
}
