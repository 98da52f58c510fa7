package org.omomi.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.omomi.tensor.Tensor;

/**
 * Fashion-MNIST (Xiao et al., 2017): 28×28 grey images of clothing in 10 classes, 60,000 for
 * training and 10,000 for testing. Read from IDX files, gzipped or not, such as those of Debian's
 * {@code dataset-fashion-mnist} package in {@link #DEBIAN_DIR}. Pixels are scaled to [0, 1];
 * images come as [N, 784] (use {@code reshape(-1, 1, 28, 28)} for convolutions), labels as
 * class indices [N].
 */
public final class FashionMnist {

    /** Where Debian's package puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, by index. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Whether the four files are in {@code dir}. */
    public static boolean available(Path dir) {
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (find(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    /** The training split. */
    public static TensorDataset train(Path dir) throws IOException {
        return load(dir, "train");
    }

    /** The test split. */
    public static TensorDataset test(Path dir) throws IOException {
        return load(dir, "t10k");
    }

    private static TensorDataset load(Path dir, String prefix) throws IOException {
        Path images = require(dir, prefix + "-images-idx3-ubyte");
        Path labels = require(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array img = Idx.read(images);
        Idx.Array lab = Idx.read(labels);
        if (img.dims().length != 3 || lab.dims().length != 1 || img.dims()[0] != lab.dims()[0]) {
            throw new IllegalArgumentException(images + " and " + labels + ": shapes " + java.util.Arrays.toString(img.dims())
                    + " and " + java.util.Arrays.toString(lab.dims()) + " do not describe the same images");
        }
        int n = img.dims()[0];
        int pixels = img.dims()[1] * img.dims()[2];
        float[] x = new float[n * pixels];
        byte[] iv = img.values();
        for (int i = 0; i < x.length; i++) {
            x[i] = (iv[i] & 0xff) / 255f;
        }
        float[] y = new float[n];
        byte[] lv = lab.values();
        for (int i = 0; i < n; i++) {
            int c = lv[i] & 0xff;
            if (c >= CLASSES.size()) {
                throw new IllegalArgumentException(labels + ": label " + c + " of image " + i + " is not a class 0–9");
            }
            y[i] = c;
        }
        return new TensorDataset(Tensor.wrap(x, n, pixels), Tensor.wrap(y, n));
    }

    private static Path require(Path dir, String base) throws IOException {
        Path p = find(dir, base);
        if (p == null) {
            throw new NoSuchFileException(dir.resolve(base + ".gz").toString(), null,
                    "Fashion-MNIST file missing (install Debian's dataset-fashion-mnist, or pass the folder that holds it)");
        }
        return p;
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base, base.replace("-idx", ".idx")}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
