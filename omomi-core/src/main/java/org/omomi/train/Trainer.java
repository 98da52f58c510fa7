package org.omomi.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Augmentation;
import org.omomi.data.Batch;
import org.omomi.data.BatchSource;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;
import org.omomi.io.AtomicFile;
import org.omomi.nn.Module;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * The training loop: epochs of batches, each a {@link TrainStep}; after each epoch a typed
 * {@link EpochRecord} (training metrics, validation metrics, penalties, weight and gradient
 * statistics) handed to the {@link Callback}s. Writing the run log, checkpoints, the divergence
 * guard, early stopping and the progress bar are callbacks; the loop itself only steps, counts and
 * evaluates.
 *
 * <p><b>Determinism.</b> Batches come from a {@link BatchSource} whose order for each epoch is a
 * function of the seed and the epoch alone; dropout draws from generators saved in every
 * checkpoint. The same seed and data give bit-identical weights, and a run resumed from any
 * checkpoint ends with the same weights as one that never stopped.
 *
 * <p><b>Files</b> (when a run folder is given): {@code history.jsonl}, the run log (docs/runlog.md),
 * and {@code checkpoints/last.safetensors} / {@code best.safetensors} (see {@link Checkpointer}).
 *
 * <p><b>Divergence.</b> When the loss or any parameter becomes NaN or infinite, training stops with
 * a {@link Diverged} naming the step and the parameter ({@link DivergenceGuard}); no checkpoint is
 * written after that, so the last one on disk is the last good state.
 */
public final class Trainer {

    /**
     * How to train. {@code checkpointEvery} and {@code logEvery} count optimizer steps; 0 turns
     * them off. {@code clipNorm} > 0 clips the global gradient norm before each step.
     */
    public record Options(int epochs, int batchSize, boolean shuffle, long seed, int checkpointEvery, int logEvery,
                          double clipNorm, boolean progress) {
        public Options {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (checkpointEvery < 0 || logEvery < 0) {
                throw new IllegalArgumentException("checkpoint and log intervals must be ≥ 0 steps");
            }
        }

        public static Options of(int epochs, int batchSize, long seed) {
            return new Options(epochs, batchSize, true, seed, 0, 0, 0, false);
        }
    }

    /**
     * What a run produced: the run log, the last epoch's training and validation metrics, speed,
     * and why it ended: {@code stopReason} is null when it ran every epoch.
     */
    public record Result(List<EpochRecord> history, Map<String, Double> train, Map<String, Double> val,
                         double samplesPerSecond, double seconds, int epochs, long steps, String stopReason) {}

    private final TrainStep step;
    private final Options options;
    private final Path runDir;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private LrScheduler schedule;
    private boolean schedulePerStep;
    private Augmentation augmentation;
    private PrintStream progressOut = System.err;

    /** A trainer of {@code model} on a classification or regression {@link Head}. */
    public Trainer(Module model, Head head, Optimizer optimizer, LrScheduler schedule, Options options, Path runDir) {
        this(model, (Objective) head, optimizer, options, runDir);
        this.schedule = schedule;
    }

    /** A trainer of {@code model} on any objective (ranking, metric learning, …). */
    public Trainer(Module model, Objective objective, Optimizer optimizer, Options options, Path runDir) {
        this.step = new TrainStep(model, objective, optimizer, options.clipNorm());
        this.options = options;
        this.runDir = runDir;
    }

    /** The learning-rate schedule, stepped after every epoch (or every step: {@link #schedulePerStep()}). */
    public Trainer withSchedule(LrScheduler s) {
        schedule = s;
        return this;
    }

    /** Steps the learning-rate schedule after every optimizer step instead of every epoch (one-cycle). */
    public Trainer schedulePerStep() {
        schedulePerStep = true;
        return this;
    }

    /** Adds a callback, run after the trainer's own, in the order added. */
    public Trainer addCallback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Validation metrics computed after the objective's own (a {@link Head}'s), e.g. an application's hit rate. */
    public Trainer withMetrics(List<Metric> extra) {
        metrics.addAll(extra);
        return this;
    }

    /** Applies a random augmentation to every training batch (reproducible: see {@link DataLoader}). */
    public Trainer withAugmentation(Augmentation a) {
        augmentation = a;
        return this;
    }

    /** Where the progress bar goes (standard error by default; only when it is a terminal). */
    public Trainer progressTo(PrintStream out) {
        progressOut = out;
        return this;
    }

    /** The step this trainer repeats. */
    public TrainStep step() {
        return step;
    }

    /** The checkpoint a run folder holds, to resume from. */
    public static Path lastCheckpoint(Path runDir) {
        return Checkpointer.last(runDir);
    }

    /** Trains from the start on an in-memory dataset. */
    public Result fit(Dataset train, Dataset val) throws IOException {
        return run(StepSource.of(loader(train)), val, null);
    }

    /** Continues from a checkpoint written by an earlier run with the same options and data. */
    public Result resume(Dataset train, Dataset val, Checkpoint from) throws IOException {
        return run(StepSource.of(loader(train)), val, from);
    }

    /** Trains on batches from any source (a file streamed from disk, say), resuming when {@code from} is given. */
    public Result fit(BatchSource train, Dataset val, Checkpoint from) throws IOException {
        return run(StepSource.of(train), val, from);
    }

    /**
     * Trains by steps that are not this process's batches (a distributed trainer's: see
     * {@link StepSource}), resuming when {@code from} is given; callbacks, run log and checkpoints
     * as for local training.
     */
    public Result fit(StepSource steps, Dataset val, Checkpoint from) throws IOException {
        return run(steps, val, from);
    }

    private BatchSource loader(Dataset train) {
        DataLoader loader = new DataLoader(train, options.batchSize(), options.shuffle(), options.seed());
        return augmentation == null ? loader : loader.withAugmentation(augmentation);
    }

    private Result run(StepSource source, Dataset val, Checkpoint from) throws IOException {
        try {
            return loop(source, val, from);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private List<Callback> allCallbacks() {
        List<Callback> all = new ArrayList<>();
        all.add(new DivergenceGuard());
        if (options.progress()) {
            all.add(new ProgressBar(progressOut));
        }
        if (runDir != null) {
            RunLogWriter log = new RunLogWriter(runDir);
            all.add(log);
            all.add(new Checkpointer(runDir, log, options.checkpointEvery()));
        }
        all.addAll(callbacks);
        return all;
    }

    private Result loop(StepSource source, Dataset val, Checkpoint from) throws IOException {
        Module model = step.model();
        Optimizer optimizer = step.optimizer();
        TrainContext c = new TrainContext(model, optimizer, schedule, options.epochs(), source.steps(), runDir, from);
        List<Callback> all = allCallbacks();
        if (runDir != null) {
            for (Path d : List.of(runDir, runDir.resolve("checkpoints"))) {
                if (Files.isDirectory(d) && !Files.isWritable(d)) { // say so now, not after the first epoch's work
                    throw new java.nio.file.AccessDeniedException(d.toString(), null,
                            "the run folder is not writable (a read-only disk, or no permission); nothing was changed");
                }
            }
            Files.createDirectories(runDir.resolve("checkpoints"));
            // Writes killed before their rename leave temporary files; what they replaced is whole.
            AtomicFile.deleteLeftovers(runDir);
            AtomicFile.deleteLeftovers(runDir.resolve("checkpoints"));
        }
        int startEpoch = 0;
        int startBatch = 0;
        if (from != null) {
            model.loadStateDict(from.model());
            optimizer.loadStateDict(from.optimizer());
            model.setRandomState(from.randomState());
            if (schedule != null) {
                schedule.setStepCount(from.scheduleStep());
            }
            startEpoch = from.epoch();
            startBatch = from.batch();
            c.step = from.step();
            c.running = from.running().clone();
            c.best = from.best();
            c.sinceBest = from.sinceBest();
            if (runDir != null) {
                c.history.addAll(RunLog.parseAll(RunLogWriter.readLines(runDir, from.historyLines())));
            }
        }
        all.forEach(cb -> cb.onTrainStart(c));
        long trainNanos = 0;
        long trainSamples = 0;
        long started = System.nanoTime();
        int epochsRun = startEpoch;
        EpochRecord last = null;
        for (int epoch = startEpoch; epoch < options.epochs() && c.stopReason() == null; epoch++) {
            model.train();
            c.epoch = epoch;
            c.batch = epoch == startEpoch ? startBatch : 0;
            if (epoch != startEpoch || from == null || from.batch() == 0) {
                c.running = new double[3];
            }
            Iterator<StepResult> steps = source.epoch(epoch, c.batch, step);
            Map<String, float[]> before = null;
            while (steps.hasNext()) {
                long t0 = System.nanoTime();
                if (c.batch + 1 >= source.steps()) {
                    before = copyParameters(model); // for the epoch record's update ratios
                }
                StepResult r = steps.next();
                if (schedule != null && schedulePerStep) {
                    schedule.step();
                }
                trainNanos += System.nanoTime() - t0;
                trainSamples += r.examples();
                c.step++;
                c.batch++;
                c.running[0] += r.dataLoss() * r.examples();
                c.running[1] += Double.isNaN(r.correct()) ? 0 : r.correct();
                c.running[2] += r.examples();
                if (options.logEvery() > 0 && c.step % options.logEvery() == 0) {
                    c.history.add(new StepRecord(epoch + 1, c.step, r.dataLoss(), c.lr()));
                }
                for (Callback cb : all) {
                    cb.onStepEnd(c, r);
                }
            }
            EpochRecord record = epochRecord(c, epoch, val, before);
            for (Callback cb : all) {
                record = cb.annotate(c, record);
            }
            c.history.add(record);
            last = record;
            epochsRun = epoch + 1;
            if (schedule != null && !schedulePerStep) {
                schedule.step();
            }
            double monitored = record.val().containsKey("loss") ? record.val().get("loss") : record.train().get("loss");
            c.improved = monitored < c.best;
            if (c.improved) {
                c.best = monitored;
                c.sinceBest = 0;
            } else {
                c.sinceBest++;
            }
            for (Callback cb : all) {
                cb.onEpochEnd(c, record);
            }
        }
        all.forEach(cb -> cb.onTrainEnd(c));
        double seconds = (System.nanoTime() - started) / 1e9;
        double perSecond = trainNanos == 0 ? Double.NaN : trainSamples / (trainNanos / 1e9);
        List<EpochRecord> epochs = new ArrayList<>();
        c.history().forEach(e -> {
            if (e instanceof EpochRecord r) {
                epochs.add(r);
            }
        });
        return new Result(epochs, last == null ? Map.of() : last.train(), last == null ? Map.of() : last.val(), perSecond, seconds,
                epochsRun, c.step, c.stopReason());
    }

    private EpochRecord epochRecord(TrainContext c, int epoch, Dataset val, Map<String, float[]> before) {
        Module model = step.model();
        Map<String, Double> train = new LinkedHashMap<>();
        train.put("loss", c.running[0] / c.running[2]);
        if (step.objective() instanceof Head h && h.kind() != Head.Kind.REGRESSION) {
            train.put("accuracy", c.running[1] / c.running[2]);
        }
        Map<String, Double> valMetrics = Map.of();
        if (val != null && val.size() > 0) {
            valMetrics = step.objective() instanceof Head h ? evaluate(model, h, val, metrics) : evaluate(model, step.objective(), val, metrics);
        }
        Map<String, Double> penalties = new LinkedHashMap<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.penaltyTerms().forEach((k, v) -> penalties.put(k, (double) v.item()));
        }
        return new EpochRecord(epoch + 1, c.step, c.lr(), train, valMetrics, penalties, EpochRecord.ParamRecord.of(model, before), Map.of());
    }

    // ------------------------------------------------------------------ evaluation

    /** Metrics of a model on a dataset, in evaluation mode, in batches of 1,024. */
    public static Map<String, Double> evaluate(Module model, Head head, Dataset data) {
        return evaluate(model, head, data, List.of());
    }

    /** A head's metrics, then {@code extra} ones, on a dataset. */
    public static Map<String, Double> evaluate(Module model, Head head, Dataset data, List<Metric> extra) {
        Tensor[] out = predictAll(model, data);
        return head.metrics(out[0], out[1], extra);
    }

    /** For an objective that is not a head: the mean loss over the dataset, then {@code extra} metrics. */
    public static Map<String, Double> evaluate(Module model, Objective objective, Dataset data, List<Metric> extra) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int from = 0; from < data.size(); from += 1024) {
                Batch b = data.get(range(from, Math.min(data.size(), from + 1024)));
                lossSum += (double) objective.loss(model.call(b.inputs()), b).item() * b.size();
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", lossSum / data.size());
        if (!extra.isEmpty()) {
            Tensor[] out = predictAll(model, data);
            extra.forEach(x -> m.put(x.name(), x.of(out[0], out[1])));
        }
        return m;
    }

    /** The model's outputs on every example of a dataset, and the targets (null without): {outputs, targets}. */
    public static Tensor[] predictAll(Module model, Dataset data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            List<Tensor> outs = new ArrayList<>();
            List<Tensor> ys = new ArrayList<>();
            for (int from = 0; from < data.size(); from += 1024) {
                Batch b = data.get(range(from, Math.min(data.size(), from + 1024)));
                outs.add(model.call(b.inputs()));
                if (b.y() != null) {
                    ys.add(b.y());
                }
            }
            return new Tensor[] {Tensor.cat(0, outs.toArray(new Tensor[0])),
                ys.isEmpty() ? null : Tensor.cat(0, ys.toArray(new Tensor[0]))};
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    private static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    private static Map<String, float[]> copyParameters(Module model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> copy.put(k, v.toArray()));
        return copy;
    }
}
