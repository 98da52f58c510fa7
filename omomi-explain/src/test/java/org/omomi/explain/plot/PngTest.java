package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG writing and reading, and the grey levels of image tiles surviving the round trip. */
class PngTest {

    @TempDir
    Path dir;

    @Test
    void tileRoundTripsExactly() throws IOException {
        Random rng = new Random(7);
        float[] a = new float[6 * 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() * 0.1);
        }
        float[] constant = new float[6 * 5];
        java.util.Arrays.fill(constant, 0.25f);
        ImageGrid grid = new ImageGrid("filters", List.of(a, constant), 6, 5);

        Path file = dir.resolve("filter0.png");
        Png.write(grid.tile(0), file);
        Png.Grey back = Png.readGrey(file);
        assertEquals(6, back.height());
        assertEquals(5, back.width());
        int[] levels = ImageGrid.levels(a);
        assertArrayEquals(levels, back.levels());

        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean sawZero = false;
        boolean sawFull = false;
        for (int i = 0; i < a.length; i++) {
            double expected = (a[i] - min) / (max - min);
            assertEquals(expected, levels[i] / 255.0, 1 / 255.0, "level of value " + i);
            sawZero |= levels[i] == 0;
            sawFull |= levels[i] == 255;
        }
        assertTrue(sawZero && sawFull, "min maps to 0 and max to 255");

        Png.write(grid.tile(1), dir.resolve("filter1.png"));
        for (int v : Png.readGrey(dir.resolve("filter1.png")).levels()) {
            assertEquals(128, v, "a constant tile is mid grey");
        }
    }

    @Test
    void levelsHandleNonFiniteValues() {
        int[] l = ImageGrid.levels(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1, 2});
        assertArrayEquals(new int[] {0, 255, 0, 255}, l);
        assertArrayEquals(new int[] {128, 128}, ImageGrid.levels(new float[] {3, 3}));
    }

    @Test
    void colorImagesAreReadAsTheMeanOfTheirChannels() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x102030);   // (16 + 32 + 48) / 3 = 32
        img.setRGB(1, 0, 0xFF0001);   // (255 + 0 + 1) / 3 = 85.33 -> 85
        Path file = dir.resolve("sub/dir/color.png");
        Png.write(img, file);
        Png.Grey g = Png.readGrey(file);
        assertArrayEquals(new int[] {32, 85}, g.levels());
        assertEquals(1, g.height());
        assertEquals(2, g.width());
    }

    @Test
    void writeIsAtomicAndOverwrites() throws IOException {
        Path file = dir.resolve("chart.png");
        BufferedImage small = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage large = new BufferedImage(7, 4, BufferedImage.TYPE_BYTE_GRAY);
        large.getRaster().setSample(6, 3, 0, 200);
        Png.write(small, file);
        Png.write(large, file);
        Png.Grey g = Png.readGrey(file);
        assertEquals(4, g.height());
        assertEquals(7, g.width());
        assertEquals(200, g.levels()[3 * 7 + 6]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left beside the PNG");
        }
    }

    @Test
    void bytesAreAPng() {
        byte[] png = Png.bytes(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
        assertTrue(png.length > 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, java.util.Arrays.copyOf(png, 8));
    }

    @Test
    void readingSomethingElseFails() throws IOException {
        Path file = dir.resolve("not.png");
        Files.writeString(file, "hello");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Png.readGrey(file));
        assertTrue(e.getMessage().startsWith(file + ": not an image"), e.getMessage());
    }
}
