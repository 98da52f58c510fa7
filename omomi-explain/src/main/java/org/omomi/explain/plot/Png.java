package org.omomi.explain.plot;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.omomi.io.AtomicFile;

/** PNG files and images, through ImageIO. */
public final class Png {

    /**
     * The shape and grey levels of an image.
     *
     * @param height rows
     * @param width columns
     * @param levels height × width levels in 0..255, row-major
     */
    public record Grey(int height, int width, int[] levels) {

        public Grey {
            if (levels.length != height * width) {
                throw new IllegalArgumentException(
                        "levels has " + levels.length + " values, but " + height + "x" + width + " needs " + height * width);
            }
        }
    }

    private Png() {}

    /**
     * Writes {@code image} as a PNG atomically ({@link AtomicFile}: a temporary file in the same
     * folder, renamed over the target with ATOMIC_MOVE, or REPLACE_EXISTING where the file system
     * cannot move atomically), so a report reader never sees half a picture. Creates missing parent
     * folders.
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        byte[] png = bytes(image);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFile.write(file, out -> out.write(png));
    }

    /** The PNG encoding of {@code image}, for embedding in HTML as a base64 data URL. */
    public static byte[] bytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The most pixels {@link #read} and {@link #readGrey} decode (2²⁶, 8192 × 8192). */
    public static final long MAX_PIXELS = 1L << 26;

    /** Pixels decoded whatever the file's size (2²², 2048 × 2048). */
    static final long FREE_PIXELS = 1L << 22;

    /**
     * Beyond {@link #FREE_PIXELS}, the pixels decoded per byte of the file. A decoded pixel costs up
     * to about 12 bytes here (a 16-bit RGBA raster, then the grey levels), so this keeps the memory
     * a file can make omomi allocate in proportion to the file. Photographs compress to well under
     * a pixel a byte; a damaged header that keeps its data can claim a thousand.
     */
    static final long PIXELS_PER_BYTE = 16;

    /**
     * Decodes an image (PNG, or another format ImageIO reads) from its bytes; {@code name} (a file, a
     * request's field) begins every error's one line. The size the header declares is checked before
     * decoding, as {@link #readGrey} says.
     */
    public static BufferedImage read(byte[] bytes, String name) {
        BufferedImage img;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(name + ": not an image ImageIO can read");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS || pixels > Math.max(FREE_PIXELS, PIXELS_PER_BYTE * bytes.length)) {
                    throw new IllegalArgumentException(name + ": declares " + reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels, more than " + (pixels > MAX_PIXELS ? "the " + MAX_PIXELS + " read"
                            : "are read from " + bytes.length + " bytes (" + FREE_PIXELS + ", or " + PIXELS_PER_BYTE + " a byte)"));
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException i && String.valueOf(i.getMessage()).startsWith(name + ": ")) {
                throw i;
            }
            // ImageIO reports damage as IIOException, and also as runtime exceptions of many kinds
            // (IndexOutOfBounds, NegativeArraySize, IllegalState, IllegalArgument) from its decoders.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(name + ": not an image ImageIO can read (" + org.omomi.io.JsonFields.printable(why) + ")", e);
        }
        if (img == null) {
            throw new IllegalArgumentException(name + ": not an image ImageIO can read");
        }
        return img;
    }

    /**
     * Reads a PNG as grey levels. A grey PNG's samples are returned as stored (16-bit ones scaled
     * to 0..255), not through {@link BufferedImage#getRGB}, which would pass them through a gamma
     * conversion; a color PNG's pixels become round((r + g + b) / 3), ignoring alpha.
     *
     * <p>A file that is not an image ImageIO reads, or is damaged, is an {@link IllegalArgumentException}
     * of one line naming it. The size its header declares is checked before decoding: at most
     * {@link #MAX_PIXELS}, and beyond 2048 × 2048 no more than {@value #PIXELS_PER_BYTE} pixels per
     * byte of the file, so a 60-byte file claiming 2³¹ × 2³¹ pixels costs nothing and a damaged
     * 60 KB one cannot make omomi decode 30 million.
     */
    public static Grey readGrey(Path file) throws IOException {
        BufferedImage img = read(Files.readAllBytes(file), file.toString());
        int h = img.getHeight();
        int w = img.getWidth();
        int[] levels = new int[h * w];
        Raster raster = img.getRaster();
        boolean grey = raster.getNumBands() == 1 && img.getColorModel().getColorSpace().getType()
                == java.awt.color.ColorSpace.TYPE_GRAY;
        if (grey) {
            int bits = img.getColorModel().getComponentSize(0);
            raster.getSamples(0, 0, w, h, 0, levels);
            if (bits != 8) {
                double max = (1L << bits) - 1;
                for (int i = 0; i < levels.length; i++) {
                    levels[i] = (int) Math.round(levels[i] * 255 / max);
                }
            }
        } else {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int p = img.getRGB(c, r);
                    levels[r * w + c] = (int) Math.round((((p >> 16) & 0xFF) + ((p >> 8) & 0xFF) + (p & 0xFF)) / 3.0);
                }
            }
        }
        return new Grey(h, w, levels);
    }
}
