package org.omomi.explain.plot;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;

/**
 * The PNG input of {@code omomi explain} ({@link Png#readGrey}) under seeded mutation ({@link Fuzz}):
 * each mutated picture reads or is refused in one line naming the file; never an exception from
 * ImageIO's decoders, an OutOfMemoryError from a header's claimed size, or a hang.
 */
class PngFuzzTest {

    @TempDir
    Path dir;

    static byte[] picture(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 9) << 16) | ((y * 9) << 8) | ((x + y) * 4));
            }
        }
        return Png.bytes(img);
    }

    @Test
    void mutatedPicturesReadOrAreRefusedInOneLine() {
        Path f = dir.resolve("input.png");
        List<byte[]> valid = List.of(picture(BufferedImage.TYPE_BYTE_GRAY, 28, 28), picture(BufferedImage.TYPE_INT_RGB, 28, 28),
                picture(BufferedImage.TYPE_USHORT_GRAY, 7, 5), picture(BufferedImage.TYPE_INT_ARGB, 3, 3));
        Fuzz.run("png", valid, new Mutator(Fuzz.seed(21), List.of("IHDR", "IDAT", "IEND", "PLTE", "tRNS", "\u0089PNG")), Fuzz.cases(1000),
                "input.png", in -> Png.readGrey(Fuzz.write(f, in))).assertClean().assertReachesBoth();
    }

    /**
     * The long run's find (cases 313,263 and 460,595 of 10⁶): a 57 KB picture whose header grew
     * while its data stayed decodable made ImageIO allocate 168 MiB, beyond the 256 bytes per byte
     * of input a reader may. Beyond 2048 × 2048, a file must now hold a byte per 16 pixels.
     */
    @Test
    void aPictureLargerThanItsFileCanHoldIsRefusedBeforeDecoding() throws Exception {
        BufferedImage blank = new BufferedImage(2100, 2100, BufferedImage.TYPE_BYTE_GRAY); // compresses a thousandfold
        Path f = java.nio.file.Files.write(dir.resolve("blank.png"), Png.bytes(blank));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Png.readGrey(f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(f + ": declares 2100×2100 pixels, more than are read from "),
                e.getMessage());
        BufferedImage free = new BufferedImage(2048, 2048, BufferedImage.TYPE_BYTE_GRAY);
        Path g = java.nio.file.Files.write(dir.resolve("free.png"), Png.bytes(free));
        org.junit.jupiter.api.Assertions.assertEquals(2048 * 2048, Png.readGrey(g).levels().length, "2048 × 2048 reads from any file");
    }

    @Test
    void aHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
        byte[] png = picture(BufferedImage.TYPE_BYTE_GRAY, 28, 28);
        java.nio.ByteBuffer.wrap(png).putInt(16, 50_000).putInt(20, 50_000); // IHDR width and height
        Path f = java.nio.file.Files.write(dir.resolve("huge.png"), png);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Png.readGrey(f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(f + ": declares 50000×50000 pixels"), e.getMessage());
    }
}
