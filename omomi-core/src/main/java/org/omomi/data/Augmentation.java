package org.omomi.data;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A random change to a batch of training images, drawn from a generator the {@link DataLoader}
 * derives from its seed, the epoch and the batch, so augmented runs are reproducible and resumable
 * without saving any generator state.
 */
@FunctionalInterface
public interface Augmentation {

    Batch apply(Batch batch, Rng rng);

    /** This, then {@code next}. */
    default Augmentation then(Augmentation next) {
        return (b, rng) -> next.apply(apply(b, rng), rng);
    }

    /**
     * Random crops of {@code height×width} images (rows of [N, H·W] or [N, 1, H, W]) padded with
     * {@code padding} zeros on each side: each image is shifted by up to ±padding pixels in each
     * direction, as torchvision's {@code RandomCrop(size, padding)}.
     */
    static Augmentation randomCrop(int height, int width, int padding) {
        return (b, rng) -> {
            float[] x = b.x().toArray();
            int n = b.size();
            int plane = height * width;
            if (x.length != n * plane) {
                throw new IllegalArgumentException("randomCrop: batch " + java.util.Arrays.toString(b.x().shape())
                        + " is not one " + height + "×" + width + " channel per example");
            }
            float[] out = new float[x.length];
            for (int i = 0; i < n; i++) {
                int dy = rng.nextInt(2 * padding + 1) - padding;
                int dx = rng.nextInt(2 * padding + 1) - padding;
                for (int r = 0; r < height; r++) {
                    int sr = r + dy;
                    if (sr < 0 || sr >= height) {
                        continue;
                    }
                    for (int c = 0; c < width; c++) {
                        int sc = c + dx;
                        if (sc >= 0 && sc < width) {
                            out[i * plane + r * width + c] = x[i * plane + sr * width + sc];
                        }
                    }
                }
            }
            return new Batch(Tensor.wrap(out, b.x().shape()), b.y());
        };
    }

    /** Mirrors each image left to right with probability ½, as {@code RandomHorizontalFlip()}. */
    static Augmentation horizontalFlip(int height, int width) {
        return (b, rng) -> {
            float[] x = b.x().toArray();
            int n = b.size();
            int plane = height * width;
            for (int i = 0; i < n; i++) {
                if (rng.nextFloat() < 0.5f) {
                    for (int r = 0; r < height; r++) {
                        int row = i * plane + r * width;
                        for (int c = 0; c < width / 2; c++) {
                            float t = x[row + c];
                            x[row + c] = x[row + width - 1 - c];
                            x[row + width - 1 - c] = t;
                        }
                    }
                }
            }
            return new Batch(Tensor.wrap(x, b.x().shape()), b.y());
        };
    }
}
