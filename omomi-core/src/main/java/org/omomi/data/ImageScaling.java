package org.omomi.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;

/**
 * Pixels scaled to [0, 1], then standardized by one mean and standard deviation over every pixel
 * of the training images, as torchvision's {@code Normalize}: the images keep their structure.
 * {@link #none} leaves them in [0, 1].
 *
 * @param mean  the mean pixel of the training images (0 for {@link #none})
 * @param std   their standard deviation (1 for {@link #none})
 * @param shape {channels, height, width} of one image
 */
public record ImageScaling(float mean, float std, int[] shape) implements Preprocessing {

    public static final String FORMAT = "omomi.images/1";

    public ImageScaling {
        shape = shape.clone();
        if (shape.length != 3 || !(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("image scaling needs {channels, height, width} and a positive std, got std " + std);
        }
        long pixels = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("image scaling: the shape " + java.util.Arrays.toString(shape) + " has a dimension below 1");
            }
            pixels *= d;
        }
        if (pixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image scaling: the shape " + java.util.Arrays.toString(shape) + " has more than 2³¹ pixels");
        }
    }

    /** No standardization: pixels stay in [0, 1]. */
    public static ImageScaling none(int[] shape) {
        return new ImageScaling(0f, 1f, shape);
    }

    /** {mean, population std} of the first {@code rows} images' pixels of x [N, pixels]. */
    public static ImageScaling fit(Tensor x, int rows, int[] shape) {
        float[] v = x.toArray();
        int n = rows * x.size(1);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += v[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (v[i] - mean) * (v[i] - mean);
        }
        return new ImageScaling((float) mean, (float) Math.sqrt(ss / n), shape);
    }

    /** Values per image. */
    public int pixels() {
        return shape[0] * shape[1] * shape[2];
    }

    /** (x − mean) / std. */
    public Tensor apply(Tensor x) {
        // One pass into one new array: x.sub(mean).div(std) made two full copies, and for a data
        // set of images those transient copies set the process's peak memory (omomi train on
        // Fashion-MNIST: three 188 MB copies at once). The same bits: (x − mean) / std in float.
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = (v[i] - mean) / std;
        }
        return Tensor.wrap(v, x.shape());
    }

    /** A dataset with its images scaled. */
    public TensorDataset apply(TensorDataset d) {
        return new TensorDataset(apply(d.x()), d.y());
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** Rows of {@link #pixels()} values in [0, 1], in row-major image order, whatever the column names. */
    @Override
    public Inputs encode(Csv.Table table) {
        int p = pixels();
        if (table.header().size() != p) {
            throw new IllegalArgumentException(table.file() + ": " + table.header().size() + " columns; an image model needs " + p + " pixel columns");
        }
        float[] v = new float[table.rows().size() * p];
        for (int i = 0; i < table.rows().size(); i++) {
            String[] row = table.rows().get(i);
            for (int j = 0; j < p; j++) {
                float f;
                try {
                    f = Float.parseFloat(row[j].strip());
                } catch (NumberFormatException e) {
                    f = Float.NaN;
                }
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException(table.file() + " line " + table.lines()[i] + ", column '" + table.header().get(j)
                            + "': '" + row[j] + "' is not a number");
                }
                v[i * p + j] = f;
            }
        }
        return Inputs.of(apply(Tensor.wrap(v, table.rows().size(), p)));
    }

    @Override
    public List<String> fields() {
        List<String> f = new ArrayList<>();
        for (int i = 0; i < pixels(); i++) {
            f.add("p" + i);
        }
        return f;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("pixels", "scaled to [0, 1], then (x - mean) / std");
        m.put("mean", (double) mean);
        m.put("std", (double) std);
        m.put("shape", List.of((long) shape[0], (long) shape[1], (long) shape[2]));
        return m;
    }

    /** Reads {@link #toJson()}; files written before the shape was kept are 28 × 28 grey images. */
    public static ImageScaling fromJson(Map<String, Object> m) {
        int[] shape = {1, 28, 28};
        if (m.get("shape") != null) {
            shape = org.omomi.io.JsonFields.ints(m, "shape", 1, Integer.MAX_VALUE);
        }
        if (!(m.get("mean") instanceof Number mean) || !(m.get("std") instanceof Number std)) {
            throw new IllegalArgumentException("image preprocessing needs 'mean' and 'std'");
        }
        return new ImageScaling(mean.floatValue(), std.floatValue(), shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageScaling s && s.mean == mean && s.std == std && java.util.Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return Float.hashCode(mean) * 31 + Float.hashCode(std);
    }
}
