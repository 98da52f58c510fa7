package org.omomi.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.omomi.data.Batch;
import org.omomi.data.Dataset;
import org.omomi.data.InputsDataset;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * One example of an in-memory omomi {@link Dataset} as a plain serializable row: each named input's
 * values (floats, or int ids) and the target's. What {@link #rows} hands to
 * {@code JavaSparkContext.parallelize}, and {@link #encoder} stacks back into a dataset on the
 * executors — for data the driver already holds (a CSV read by {@code RunSetup}, Fashion-MNIST).
 *
 * @param names     the inputs' names, in the dataset's order
 * @param shapes    each input's per-example shape (the batch axis left out)
 * @param floats    float inputs' values (null for an id input)
 * @param ids       id inputs' values (null for a float input)
 * @param target    the target's values, or null
 * @param targetShape the target's per-example shape
 */
public record Example(String[] names, int[][] shapes, float[][] floats, int[][] ids, float[] target, int[] targetShape)
        implements Serializable {

    /** Every example of {@code data}, in order. */
    public static List<Example> rows(Dataset data) {
        Batch all = data.all();
        Inputs in = all.inputs();
        List<String> names = new ArrayList<>(in.names());
        int n = all.size();
        int k = names.size();
        int[][] shapes = new int[k][];
        float[][] fl = new float[k][];
        int[][] id = new int[k][];
        for (int j = 0; j < k; j++) {
            String name = names.get(j);
            if (in.isIds(name)) {
                IntTensor t = in.ids(name);
                shapes[j] = Arrays.copyOfRange(t.shape(), 1, t.dim());
                id[j] = t.toArray();
            } else {
                Tensor t = in.tensor(name);
                shapes[j] = Arrays.copyOfRange(t.shape(), 1, t.dim());
                fl[j] = t.toArray();
            }
        }
        float[] y = all.y() == null ? null : all.y().toArray();
        int[] yShape = all.y() == null ? null : Arrays.copyOfRange(all.y().shape(), 1, all.y().dim());
        String[] nameArray = names.toArray(new String[0]);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[][] rf = new float[k][];
            int[][] ri = new int[k][];
            for (int j = 0; j < k; j++) {
                int w = width(shapes[j]);
                if (fl[j] != null) {
                    rf[j] = Arrays.copyOfRange(fl[j], i * w, (i + 1) * w);
                } else {
                    ri[j] = Arrays.copyOfRange(id[j], i * w, (i + 1) * w);
                }
            }
            float[] ry = null;
            if (y != null) {
                int w = width(yShape);
                ry = Arrays.copyOfRange(y, i * w, (i + 1) * w);
            }
            out.add(new Example(nameArray, shapes, rf, ri, ry, yShape));
        }
        return out;
    }

    private static int width(int[] shape) {
        int w = 1;
        for (int s : shape) {
            w *= s;
        }
        return w;
    }

    private static int[] withBatch(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** Stacks a partition's examples into an {@link InputsDataset}, in their order. */
    public static PartitionEncoder<Example> encoder() {
        return (partition, rows) -> stack(rows);
    }

    static Dataset stack(Iterator<Example> rows) {
        List<Example> list = new ArrayList<>();
        rows.forEachRemaining(list::add);
        int n = list.size();
        if (n == 0) {
            return new EmptyDataset();
        }
        Example first = list.get(0);
        Inputs inputs = null;
        for (int j = 0; j < first.names.length; j++) {
            int w = width(first.shapes[j]);
            int[] shape = withBatch(n, first.shapes[j]);
            if (first.floats[j] != null) {
                float[] v = new float[n * w];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(list.get(i).floats[j], 0, v, i * w, w);
                }
                Tensor t = Tensor.wrap(v, shape);
                inputs = inputs == null ? Inputs.of(first.names[j], t) : inputs.with(first.names[j], t);
            } else {
                int[] v = new int[n * w];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(list.get(i).ids[j], 0, v, i * w, w);
                }
                IntTensor t = IntTensor.of(v, shape);
                inputs = inputs == null ? Inputs.of(first.names[j], t) : inputs.with(first.names[j], t);
            }
        }
        Tensor y = null;
        if (first.target != null) {
            int w = width(first.targetShape);
            float[] v = new float[n * w];
            for (int i = 0; i < n; i++) {
                System.arraycopy(list.get(i).target, 0, v, i * w, w);
            }
            y = Tensor.wrap(v, withBatch(n, first.targetShape));
        }
        return new InputsDataset(inputs, y);
    }

    /** A partition with no rows. */
    static final class EmptyDataset implements Dataset {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public Batch get(int[] indices) {
            throw new IndexOutOfBoundsException("a partition with no rows");
        }
    }
}
