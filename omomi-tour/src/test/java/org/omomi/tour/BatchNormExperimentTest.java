package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The batchnorm part, quick and default (two seeds): its claims, checked again on the numbers it reports. */
class BatchNormExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    @SuppressWarnings("unchecked")
    void batchNormTrainsAtEveryScaleWhereThePlainNetworkFailsAtBothEnds(Setting s) {
        Part part = TourTests.part(new BatchNormExperiment(), s);
        assertEquals("batchnorm", part.name());
        List<Double> scales = (List<Double>) part.numbers().get("scales");
        List<Double> norm = (List<Double>) part.numbers().get("accuracy_batchnorm");
        List<Double> plain = (List<Double>) part.numbers().get("accuracy_plain");
        assertEquals(6, scales.size());

        double minNorm = norm.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double spreadNorm = norm.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - minNorm;
        double spreadPlain = plain.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - plain.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertTrue(minNorm >= 0.5, "with BatchNorm the worst scale still trains: " + norm);
        assertTrue(spreadNorm < 0.5 * spreadPlain, "spread with BatchNorm " + spreadNorm + ", plain " + spreadPlain);

        int failedSmall = 0;
        int failedLarge = 0;
        for (int i = 0; i < scales.size(); i++) {
            if (plain.get(i) < 0.3) {
                failedSmall += scales.get(i) < 1 ? 1 : 0;
                failedLarge += scales.get(i) > 1 ? 1 : 0;
            }
        }
        assertTrue(failedSmall + failedLarge >= 3, "plain fails at three or more scales: " + plain);
        assertTrue(failedSmall >= 1 && failedLarge >= 1, "plain fails on both sides of He: " + plain);
        // At the He scale itself the plain network does train: the failures come from the scale, not the network.
        assertTrue(plain.get(scales.indexOf(1.0)) > 0.5, "plain at k = 1: " + plain);

        Map<String, Object> claims = (Map<String, Object>) part.numbers().get("claims");
        assertEquals(Map.of("batchnorm_robust", true, "plain_fails", true), claims);
        TourTests.assertClaimsHold(part, s);
    }
}
