package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;

/** The residual part, quick and default (two seeds), and the residual block itself. */
class ResidualExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void theResidualTwinTrainsAndItsFirstLayerGetsAGradient(Setting s) {
        Part part = TourTests.part(new ResidualExperiment(), s);
        Map<String, Object> n = part.numbers();
        assertEquals(22, n.get("layers"));
        List<Double> plain = (List<Double>) n.get("gradient_norms_plain");
        List<Double> residual = (List<Double>) n.get("gradient_norms_residual");
        assertEquals(22, plain.size());
        assertEquals(22, residual.size());

        assertTrue(residual.get(0) >= 10 * plain.get(0), "first-layer gradient: residual " + residual.get(0) + ", plain " + plain.get(0));
        assertTrue(plain.get(0) * 10 <= plain.get(21), "the plain network's gradient vanishes towards the input: " + plain);
        // The plain network's gradient shrinks layer after layer from the output down (vanishing), the residual one's does not.
        assertTrue(plain.get(21) > plain.get(11) && plain.get(11) > plain.get(3), "plain: " + plain);
        assertTrue(residual.get(11) > 0.1 * residual.get(21), "residual: " + residual);

        double lossPlain = (double) n.get("final_loss_plain");
        double lossResidual = (double) n.get("final_loss_residual");
        assertTrue(lossResidual <= lossPlain - 0.3, "final loss: residual " + lossResidual + ", plain " + lossPlain);
        assertTrue((double) n.get("test_accuracy_residual") > (double) n.get("test_accuracy_plain"));
        assertEquals(Map.of("residual_trains_faster", true, "gradient_reaches_first_layer", true), n.get("claims"));
        TourTests.assertClaimsHold(part, s);
    }

    @Test
    void twinsShareTheirWeightsAndDifferOnlyByTheShortcut() {
        Module plain = ResidualExperiment.network(false, 3);
        Module residual = ResidualExperiment.network(true, 3);
        assertEquals(plain.namedParameters().keySet(), residual.namedParameters().keySet());
        for (var e : plain.namedParameters().entrySet()) {
            assertTrue(Arrays.equals(e.getValue().toArray(), residual.namedParameters().get(e.getKey()).toArray()), e.getKey());
        }
        // One block: the residual one adds its input to the plain one's output.
        var pb = (ResidualExperiment.DenseBlock) plain.children().get("1");
        var rb = (ResidualExperiment.DenseBlock) residual.children().get("1");
        Tensor x = Tensor.zeros(1, ResidualExperiment.WIDTH).add(0.25f);
        float[] p = pb.call(x).toArray();
        float[] r = rb.call(x).toArray();
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i] + 0.25f, r[i], 1e-6f);
        }
    }
}
