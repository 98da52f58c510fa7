package org.omomi.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.omomi.data.Dataset;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Gradients;
import org.omomi.train.StepResult;
import org.omomi.train.StepSource;
import org.omomi.train.TrainStep;
import org.omomi.train.Trainer;

/**
 * Data-parallel training steps on a Spark cluster, for core's {@link Trainer}: hand it to
 * {@link Trainer#fit(StepSource, Dataset, org.omomi.train.Checkpoint)} and the trainer's run log,
 * checkpoints, callbacks and validation are those of local training; only where the gradient (or
 * the weights) of a step comes from changes.
 *
 * <p>The rows are encoded once per partition ({@link PartitionEncoder}) and cached on the
 * executors; every step then ships the driver's state and gets back a sum:
 * <ul>
 * <li><b>synchronous</b> ({@link Mode#SYNC}): the driver broadcasts its weights; each partition
 *     computes, with {@link TrainStep#gradients}, the gradient of its share of the global batch
 *     ({@link Shares}); {@code treeAggregate} adds the {@link GradientSum}s (dense tensors
 *     element-wise, row-sparse table gradients merged sparsely) in a {@link TreeSum} whose
 *     bracketing is fixed; the driver {@link TrainStep#apply applies} the sum: the mean gradient
 *     over the global batch, clipped and stepped by the driver's optimizer. Batch-norm running
 *     statistics become the example-weighted mean of the partitions'. One partition gives the
 *     local trainer's weights (to float rounding of ×n ÷ n).</li>
 * <li><b>parameter averaging</b> ({@link Mode#AVERAGE}, local SGD): each partition runs K local
 *     optimizer steps on its shares of K consecutive global batches, starting from the driver's
 *     weights and optimizer state; the weights, buffers and optimizer state are then averaged,
 *     weighted by examples ({@link WeightAverage}). A trainer step is one round of K local steps;
 *     the learning rate is constant within a round. One partition gives local training's weights
 *     bit for bit.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> A step is a function of the driver's state, the seed, the epoch and the
 * step: shares are computed, not sampled; dropout draws from a generator seeded by (seed, step,
 * partition); sums are bracketed by partition index. A task that fails and is retried by Spark,
 * on this executor or another, gives the same bits, and so does a run resumed from a checkpoint.
 * Dropout masks, and batch statistics of batch norm (per partition, as PyTorch's DDP without
 * SyncBatchNorm), differ from local training's by design.
 */
public final class SparkSteps implements StepSource, AutoCloseable {

    /** How partitions combine. */
    public enum Mode {
        /** Sum the gradients of every global batch, one optimizer step on the driver. */
        SYNC,
        /** K local steps per partition, then average the weights and the optimizer state. */
        AVERAGE
    }

    /**
     * @param mode       synchronous or parameter averaging
     * @param localSteps K, local steps per averaging round (1 for synchronous)
     * @param depth      the depth of {@code treeAggregate}'s tree (2, Spark's default)
     */
    public record Options(Mode mode, int localSteps, int depth) {
        public Options {
            if (localSteps < 1 || depth < 1) {
                throw new IllegalArgumentException("--local-steps and the tree depth must be at least 1");
            }
            if (mode == Mode.SYNC && localSteps != 1) {
                throw new IllegalArgumentException("synchronous training takes one step per round; --local-steps is for --mode average");
            }
        }

        public static Options sync() {
            return new Options(Mode.SYNC, 1, 2);
        }

        public static Options averaging(int localSteps) {
            return new Options(Mode.AVERAGE, localSteps, 2);
        }
    }

    /** A partition's encoded rows, cached on its executor, with the order of the epoch in progress. */
    static final class Part {
        final int index;
        final Dataset data;
        private int epoch = -1;
        private int[] order;

        Part(int index, Dataset data) {
            this.index = index;
            this.data = data;
        }

        synchronized int[] order(long seed, int e, boolean shuffle) {
            if (e != epoch) {
                order = Shares.order(data, seed, index, e, shuffle);
                epoch = e;
            }
            return order;
        }
    }

    private final JavaSparkContext sc;
    private final JavaRDD<Part> parts;
    private final long[] sizes;
    private final long rows;
    private final Recipe recipe;
    private final int batch;
    private final boolean shuffle;
    private final long seed;
    private final double clipNorm;
    private final Options options;
    private final String run = UUID.randomUUID().toString();
    private long bytesSent;
    private long bytesReceived;

    private SparkSteps(JavaSparkContext sc, JavaRDD<Part> parts, long[] sizes, Recipe recipe, Trainer.Options loop, Options options) {
        this.sc = sc;
        this.parts = parts;
        this.sizes = sizes;
        this.rows = Arrays.stream(sizes).sum();
        this.recipe = recipe;
        this.batch = loop.batchSize();
        this.shuffle = loop.shuffle();
        this.seed = loop.seed();
        this.clipNorm = loop.clipNorm();
        this.options = options;
        if (rows == 0) {
            throw new IllegalArgumentException("no training rows in any of the " + sizes.length + " partitions");
        }
    }

    /**
     * Encodes each partition of {@code data} and caches it (one Spark job, which also counts the
     * rows); the loop's batch size is the global batch, its seed and shuffle decide the shares.
     */
    public static <T> SparkSteps of(JavaRDD<T> data, PartitionEncoder<T> encoder, Recipe recipe, Trainer.Options loop, Options options) {
        JavaRDD<Part> parts = data.mapPartitionsWithIndex((i, it) -> List.of(new Part(i, encoder.encode(i, it))).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        List<Integer> counts = parts.map(p -> p.data.size()).collect();
        long[] sizes = counts.stream().mapToLong(Integer::longValue).toArray();
        return new SparkSteps(JavaSparkContext.fromSparkContext(data.context()), parts, sizes, recipe, loop, options);
    }

    /** Rows per partition. */
    public long[] sizes() {
        return sizes.clone();
    }

    public int partitions() {
        return sizes.length;
    }

    /** Global batches per epoch: ⌈N / B⌉. */
    public int globalSteps() {
        return Shares.steps(rows, batch);
    }

    @Override
    public int steps() {
        int s = globalSteps();
        return (s + options.localSteps() - 1) / options.localSteps();
    }

    /** Bytes of state the driver broadcast and of sums it received so far (values and indices, before Spark's framing). */
    public long[] bytes() {
        return new long[] {bytesSent, bytesReceived};
    }

    @Override
    public Iterator<StepResult> epoch(int epoch, int first, TrainStep step) {
        int total = steps();
        return new Iterator<>() {
            private int next = first;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public StepResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                long global = (long) epoch * total + i;
                return options.mode() == Mode.SYNC ? syncStep(step, epoch, i, global) : averageRound(step, epoch, i, global);
            }
        };
    }

    // ------------------------------------------------------------------ synchronous

    private StepResult syncStep(TrainStep step, int epoch, int index, long global) {
        Module model = step.model();
        float[][] state = Replica.stateOf(model);
        Broadcast<float[][]> weights = sc.broadcast(state);
        bytesSent += bytes(state);
        try {
            int params = model.parameters().size();
            List<Tensor> buffers = Replica.buffersOf(model);
            SyncTask task = new SyncTask(run, recipe, clipNorm, weights, rows, batch, shuffle, seed, epoch, index, global, sizes.length,
                    params, buffers.size());
            TreeSum<GradientSum> sum = parts.treeAggregate(TreeSum.<GradientSum>zero(sizes.length), task, (a, b) -> a.plus(b),
                    options.depth());
            GradientSum g = sum.total();
            bytesReceived += g.payloadBytes();
            double penalty;
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                penalty = model.penaltyTotal().item();
            }
            if (g.examples() == 0) {
                return new StepResult(0, 0, penalty, 0, null);
            }
            step.apply(g.toGradients());
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (int b = 0; b < buffers.size(); b++) {
                    float[] mean = g.bufferMean(b);
                    if (mean != null) {
                        buffers.get(b).copyFrom(Tensor.wrap(mean, buffers.get(b).shape()));
                    }
                }
            }
            double loss = g.lossSum() / g.examples();
            return new StepResult((int) g.examples(), loss, loss + penalty, g.correct(), null);
        } finally {
            weights.destroy();
        }
    }

    /** One partition's gradient of its share of one global batch, as a leaf of the tree sum. */
    private record SyncTask(String run, Recipe recipe, double clipNorm, Broadcast<float[][]> weights, long rows, int batch,
                            boolean shuffle, long seed, int epoch, int step, long global, int partitions, int params, int bufferCount)
            implements Function2<TreeSum<GradientSum>, Part, TreeSum<GradientSum>> {
        @Override
        public TreeSum<GradientSum> call(TreeSum<GradientSum> acc, Part part) {
            FailureInjection.check(part.index, global);
            int[] share = Shares.rows(part.order(seed, epoch, shuffle), rows, batch, step);
            if (share.length == 0) {
                return acc.plus(TreeSum.leaf(part.index, partitions, GradientSum.zero(params, bufferCount)));
            }
            Replica r = Replica.borrow(run, recipe, clipNorm);
            try {
                r.load(weights.value());
                r.model.train();
                reseed(r.model, seed, global, part.index);
                Gradients g = r.step.gradients(part.data.get(share));
                return acc.plus(TreeSum.leaf(part.index, partitions, GradientSum.of(g, r.buffers)));
            } finally {
                Replica.release(run, r);
            }
        }
    }

    // ------------------------------------------------------------------ parameter averaging

    private StepResult averageRound(TrainStep step, int epoch, int index, long round) {
        Module model = step.model();
        int k = options.localSteps();
        int from = index * k;
        int to = Math.min(globalSteps(), from + k);
        WeightAverage start = WeightAverage.of(model, step.optimizer(), 1f, 0, 0, 0);
        Broadcast<WeightAverage> state = sc.broadcast(start);
        bytesSent += stateBytes(model, step);
        try {
            AverageTask task = new AverageTask(run, recipe, clipNorm, state, sizes, rows, batch, shuffle, seed, epoch, from, to, round);
            TreeSum<WeightAverage> sum = parts.treeAggregate(TreeSum.<WeightAverage>zero(sizes.length), task, (a, b) -> a.plus(b),
                    options.depth());
            WeightAverage mean = sum.total();
            bytesReceived += stateBytes(model, step);
            mean.loadInto(model, step.optimizer());
            double penalty;
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                penalty = model.penaltyTotal().item();
            }
            double loss = mean.examples() == 0 ? 0 : mean.lossSum() / mean.examples();
            return new StepResult((int) mean.examples(), loss, loss + penalty, mean.correct(), null);
        } finally {
            state.destroy();
        }
    }

    /** One partition's local steps of one round, weighted by its share of the round's examples. */
    private record AverageTask(String run, Recipe recipe, double clipNorm, Broadcast<WeightAverage> state, long[] sizes, long rows,
                               int batch, boolean shuffle, long seed, int epoch, int from, int to, long round)
            implements Function2<TreeSum<WeightAverage>, Part, TreeSum<WeightAverage>> {
        @Override
        public TreeSum<WeightAverage> call(TreeSum<WeightAverage> acc, Part part) {
            FailureInjection.check(part.index, round);
            long roundRows = 0;
            for (long n : sizes) {
                roundRows += Shares.start((int) n, rows, batch, to) - Shares.start((int) n, rows, batch, from);
            }
            int[] order = part.order(seed, epoch, shuffle);
            int mine = Shares.start(order.length, rows, batch, to) - Shares.start(order.length, rows, batch, from);
            Replica r = Replica.borrow(run, recipe, clipNorm);
            try {
                state.value().loadInto(r.model, r.optimizer);
                r.model.train();
                reseed(r.model, seed, round, part.index);
                double lossSum = 0;
                double correct = 0;
                long examples = 0;
                for (int s = from; s < to; s++) {
                    int[] share = Shares.rows(order, rows, batch, s);
                    if (share.length == 0) {
                        continue;
                    }
                    StepResult sr = r.step.run(part.data.get(share));
                    lossSum += sr.dataLoss() * sr.examples();
                    correct += sr.correct();
                    examples += sr.examples();
                }
                float weight = roundRows == 0 ? 0f : (float) ((double) mine / roundRows);
                WeightAverage w = WeightAverage.of(r.model, r.optimizer, weight, lossSum, correct, examples);
                return acc.plus(TreeSum.leaf(part.index, sizes.length, w));
            } finally {
                Replica.release(run, r);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Dropout's generators for (seed, step, partition): nothing carried between steps, so a retry draws the same masks. */
    static void reseed(Module model, long seed, long step, int partition) {
        Map<String, long[]> state = model.randomState();
        if (state.isEmpty()) {
            return;
        }
        long base = Shares.seed(seed ^ 0x5deece66dL, partition) + 0x9e3779b97f4a7c15L * (step + 1);
        state.replaceAll((name, s) -> new Rng(base + name.hashCode()).state());
        model.setRandomState(state);
    }

    private static long bytes(float[][] a) {
        long b = 0;
        for (float[] x : a) {
            b += 4L * x.length;
        }
        return b;
    }

    private static long stateBytes(Module model, TrainStep step) {
        long b = 0;
        for (Tensor t : model.stateDict().values()) {
            b += 4L * t.numel();
        }
        for (Tensor t : step.optimizer().stateDict().buffers().values()) {
            b += 4L * t.numel();
        }
        return b;
    }

    /** Drops the cached partitions from the executors. */
    @Override
    public void close() {
        parts.unpersist(false);
    }
}
