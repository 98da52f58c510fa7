package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.data.FashionMnist;
import org.omomi.explain.plot.Png;

/** The batchnorm part in quick mode: its claims, checked again on the numbers it reports. */
class BatchNormExperimentTest {

    @Test
    @SuppressWarnings("unchecked")
    void batchNormTrainsAtEveryScaleWhereThePlainNetworkFailsAtBothEnds() throws IOException {
        Part part = new BatchNormExperiment().run(new Setting(1, true, Images.load(FashionMnist.DEBIAN_DIR, 1), Map.of()));
        savePictures(part);
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
        assertTrue(part.claimsHold());
    }

    /** Writes the part's pictures to $TMPDIR/tour-b for a look. */
    static void savePictures(Part part) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tour-b");
        Files.createDirectories(dir);
        for (Part.Block b : part.blocks()) {
            if (b instanceof Part.Picture p) {
                assertTrue(p.figure().file().startsWith(part.name() + "-"), p.figure().file());
                assertTrue(!p.title().en().isBlank() && !p.title().ja().isBlank() && !p.caption().en().isBlank() && !p.caption().ja().isBlank());
                Png.write(p.figure().image(), dir.resolve(p.figure().file()));
            }
        }
    }
}
