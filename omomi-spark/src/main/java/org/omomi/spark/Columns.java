package org.omomi.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.omomi.data.Batch;
import org.omomi.data.Dataset;
import org.omomi.data.InputsDataset;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * An in-memory omomi {@link Dataset} as plain serializable columns — each named input's values
 * (floats, or int ids), row-major, and the target's — for data the driver already holds (a CSV
 * read by {@code RunSetup}, Fashion-MNIST). {@link #partitions} broadcasts it once and gives an
 * RDD of partition numbers whose encoder takes rows [p·N/P, (p + 1)·N/P) from the broadcast: no
 * task carries the rows ({@code parallelize} would put them in every task of every step, since
 * a cached RDD's tasks still serialize its lineage's partitions), and a lost partition is rebuilt
 * from the broadcast.
 */
public final class Columns implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final int[][] shapes;     // per input: the per-example shape
    private final float[][] floats;   // per input: values, or null for ids
    private final int[][] ids;
    private final float[] target;     // or null
    private final int[] targetShape;
    private final int rows;

    private Columns(String[] names, int[][] shapes, float[][] floats, int[][] ids, float[] target, int[] targetShape, int rows) {
        this.names = names;
        this.shapes = shapes;
        this.floats = floats;
        this.ids = ids;
        this.target = target;
        this.targetShape = targetShape;
        this.rows = rows;
    }

    /** Every example of {@code data}, copied into columns. */
    public static Columns of(Dataset data) {
        Batch all = data.all();
        Inputs in = all.inputs();
        List<String> list = new ArrayList<>(in.names());
        int k = list.size();
        int[][] shapes = new int[k][];
        float[][] fl = new float[k][];
        int[][] id = new int[k][];
        for (int j = 0; j < k; j++) {
            String name = list.get(j);
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
        Tensor y = all.y();
        return new Columns(list.toArray(new String[0]), shapes, fl, id, y == null ? null : y.toArray(),
                y == null ? null : Arrays.copyOfRange(y.shape(), 1, y.dim()), all.size());
    }

    public int size() {
        return rows;
    }

    /** Rows [from, to) as a dataset of their own (copies). */
    public Dataset rows(int from, int to) {
        int n = to - from;
        if (n == 0) {
            return new Empty();
        }
        Inputs inputs = null;
        for (int j = 0; j < names.length; j++) {
            int w = width(shapes[j]);
            int[] shape = withBatch(n, shapes[j]);
            if (floats[j] != null) {
                Tensor t = Tensor.wrap(Arrays.copyOfRange(floats[j], from * w, to * w), shape);
                inputs = inputs == null ? Inputs.of(names[j], t) : inputs.with(names[j], t);
            } else {
                IntTensor t = IntTensor.of(Arrays.copyOfRange(ids[j], from * w, to * w), shape);
                inputs = inputs == null ? Inputs.of(names[j], t) : inputs.with(names[j], t);
            }
        }
        Tensor y = null;
        if (target != null) {
            int w = width(targetShape);
            y = Tensor.wrap(Arrays.copyOfRange(target, from * w, to * w), withBatch(n, targetShape));
        }
        return new InputsDataset(inputs, y);
    }

    /** The first row of partition {@code p} of {@code partitions}: ⌊p·N / P⌋, as {@code parallelize} slices. */
    public int start(int p, int partitions) {
        return (int) ((long) p * rows / partitions);
    }

    /**
     * Broadcasts {@code data} and returns the numbers of {@code partitions} partitions with the
     * encoder that takes each partition's rows from it; for {@link SparkSteps#of}.
     */
    public static Partitioned partitions(JavaSparkContext sc, Dataset data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        Broadcast<Columns> all = sc.broadcast(of(data));
        List<Integer> numbers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            numbers.add(p);
        }
        JavaRDD<Integer> rdd = sc.parallelize(numbers, partitions);
        PartitionEncoder<Integer> encoder = (partition, it) -> {
            Columns c = all.value();
            return c.rows(c.start(partition, partitions), c.start(partition + 1, partitions));
        };
        return new Partitioned(rdd, encoder);
    }

    /** An RDD of partition numbers and the encoder that turns each into its rows. */
    public record Partitioned(JavaRDD<Integer> rdd, PartitionEncoder<Integer> encoder) {}

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

    /** A partition with no rows. */
    static final class Empty implements Dataset {
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
