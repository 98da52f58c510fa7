package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Network diagrams: edge colors follow the weight's sign; oversize and inconsistent networks are refused. */
class NetworkDiagramTest {

    @Test
    void positiveEdgeIsRedAndNegativeBlue() {
        BufferedImage pos = new NetworkDiagram("pos", List.<float[][]>of(new float[][] {{1f}})).render(400, 300);
        BufferedImage neg = new NetworkDiagram("neg", List.<float[][]>of(new float[][] {{-1f}})).render(400, 300);
        // The key at the bottom has a short red and a short blue sample; an edge adds far more.
        int keyRed = Pixels.reddish(neg);
        int keyBlue = Pixels.bluish(pos);
        assertTrue(Pixels.reddish(pos) > keyRed + 1000, "positive edge is red: " + Pixels.reddish(pos) + " vs " + keyRed);
        assertTrue(Pixels.bluish(neg) > keyBlue + 1000, "negative edge is blue: " + Pixels.bluish(neg) + " vs " + keyBlue);
    }

    @Test
    void rendersADeeperNetworkWithNames() {
        float[][] w1 = {{0.5f, -0.2f}, {0f, 1f}, {Float.NaN, 0.1f}};
        float[][] w2 = {{0.3f, -0.9f, 0.01f}};
        BufferedImage img = new NetworkDiagram("net", List.of(w1, w2))
                .inputNames(List.of("a", "b")).outputNames(List.of("y")).render(600, 400);
        assertEquals(600, img.getWidth());
        assertTrue(Pixels.reddish(img) > 200 && Pixels.bluish(img) > 200);
    }

    @Test
    void refusesWhatItCannotDraw() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkDiagram("big", List.<float[][]>of(new float[65][3])));
        assertTrue(e.getMessage().contains("layer 1 has 65 neurons") && e.getMessage().contains("64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NetworkDiagram("wide", List.<float[][]>of(new float[2][100])));
        e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkDiagram("chain", List.of(new float[4][3], new float[2][5])));
        assertEquals("weights[1] has 5 inputs, but weights[0] has 4 outputs", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new NetworkDiagram("ragged", List.<float[][]>of(new float[][] {{1, 2}, {3}})));
        NetworkDiagram ok = new NetworkDiagram("ok", List.<float[][]>of(new float[2][3]));
        e = assertThrows(IllegalArgumentException.class, () -> ok.inputNames(List.of("a", "b")));
        assertEquals("inputNames has 2 names but the network has 3 inputs", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ok.outputNames(List.of("a")));
        assertEquals(300, ok.render(400, 300).getHeight(), "all-zero weights draw no edges but still render");
    }
}
