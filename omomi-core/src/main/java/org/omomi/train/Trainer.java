package org.omomi.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Batch;
import org.omomi.data.DataLoader;
import org.omomi.data.Dataset;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.kernel.Parallel;
import org.omomi.nn.Module;
import org.omomi.optim.GradClip;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * The training loop: epochs of shuffled mini-batches, validation, the run log, checkpoints, a
 * guard against divergence, and callbacks.
 *
 * <p><b>Determinism.</b> Batches come from a {@link DataLoader} whose order for each epoch is a
 * function of the seed and the epoch alone; dropout draws from generators saved in every
 * checkpoint. The same seed and data give bit-identical weights, and a run resumed from any
 * checkpoint ends with the same weights as one that never stopped.
 *
 * <p><b>Files</b> (when a run folder is given): {@code history.jsonl}, the run log (see
 * docs/runlog.md), rewritten atomically after every epoch; {@code checkpoints/last.safetensors}
 * after every epoch and every {@code checkpointEvery} steps, and {@code checkpoints/best.safetensors}
 * when the monitored loss (validation if there is a validation set, else training) improves.
 *
 * <p><b>Divergence.</b> When the loss or any parameter becomes NaN or infinite, training stops with
 * a {@link Diverged} naming the step and the parameter; no checkpoint is written after that, so the
 * last one on disk is the last good state.
 */
public final class Trainer {

    /** How to train. {@code checkpointEvery} and {@code logEvery} count optimizer steps; 0 turns them off. */
    public record Options(int epochs, int batchSize, boolean shuffle, long seed, int checkpointEvery, int logEvery,
                          double clipNorm, boolean progress) {
        public Options {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
        }

        public static Options of(int epochs, int batchSize, long seed) {
            return new Options(epochs, batchSize, true, seed, 0, 0, 0, false);
        }
    }

    /** Training stopped because the loss or a weight stopped being a finite number. */
    public static final class Diverged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }

    /** Called after each epoch with its log record; returning false stops training. */
    @FunctionalInterface
    public interface Callback {
        boolean afterEpoch(int epoch, Map<String, Object> record);
    }

    /** Stops when the monitored value (e.g. "val.loss") has not improved for {@code patience} epochs. */
    public static Callback earlyStopping(String monitor, int patience, double minDelta) {
        double[] best = {Double.POSITIVE_INFINITY};
        int[] waited = {0};
        return (epoch, record) -> {
            Double v = lookup(record, monitor);
            if (v == null) {
                return true;
            }
            if (v < best[0] - minDelta) {
                best[0] = v;
                waited[0] = 0;
                return true;
            }
            return ++waited[0] < patience;
        };
    }

    @SuppressWarnings("unchecked")
    private static Double lookup(Map<String, Object> record, String dotted) {
        Object o = record;
        for (String part : dotted.split("\\.")) {
            if (!(o instanceof Map)) {
                return null;
            }
            o = ((Map<String, Object>) o).get(part);
        }
        return o instanceof Double ? (Double) o : null;
    }

    /** What a run produced. */
    public record Result(List<Map<String, Object>> history, Map<String, Double> train, Map<String, Double> val,
                         double samplesPerSecond, double seconds, int epochs, long steps) {}

    private final Module model;
    private final Head head;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final Options options;
    private final Path runDir;
    private final List<Callback> callbacks = new ArrayList<>();
    private PrintStream progressOut = System.err;
    private org.omomi.data.Augmentation augmentation;
    private boolean schedulePerStep;

    public Trainer(Module model, Head head, Optimizer optimizer, LrScheduler schedule, Options options, Path runDir) {
        this.model = model;
        this.head = head;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.options = options;
        this.runDir = runDir;
    }

    public Trainer addCallback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Steps the learning-rate schedule after every optimizer step instead of every epoch (one-cycle). */
    public Trainer schedulePerStep() {
        schedulePerStep = true;
        return this;
    }

    /** Applies a random augmentation to every training batch (reproducible: see {@link DataLoader}). */
    public Trainer withAugmentation(org.omomi.data.Augmentation a) {
        augmentation = a;
        return this;
    }

    /** Where the progress bar goes (standard error by default; only when it is a terminal). */
    public Trainer progressTo(PrintStream out) {
        progressOut = out;
        return this;
    }

    /** The checkpoint a run folder holds, to resume from. */
    public static Path lastCheckpoint(Path runDir) {
        return runDir.resolve("checkpoints").resolve("last.safetensors");
    }

    /** Trains from the start. */
    public Result fit(Dataset train, Dataset val) throws IOException {
        return run(train, val, null);
    }

    /** Continues from a checkpoint written by an earlier run with the same options and data. */
    public Result resume(Dataset train, Dataset val, Checkpoint from) throws IOException {
        return run(train, val, from);
    }

    private Result run(Dataset train, Dataset val, Checkpoint from) throws IOException {
        DataLoader loader = new DataLoader(train, options.batchSize(), options.shuffle(), options.seed());
        if (augmentation != null) {
            loader = loader.withAugmentation(augmentation);
        }
        List<Map<String, Object>> history = new ArrayList<>();
        List<String> lines = new ArrayList<>(); // the run log as written: earlier lines are kept verbatim
        int startEpoch = 0;
        int startBatch = 0;
        long step = 0;
        double[] running = new double[3]; // loss·n, correct, n
        double best = Double.POSITIVE_INFINITY;
        if (runDir != null) {
            Files.createDirectories(runDir.resolve("checkpoints"));
        }
        if (from != null) {
            model.loadStateDict(from.model());
            optimizer.loadStateDict(from.optimizer());
            model.setRandomState(from.randomState());
            if (schedule != null) {
                schedule.setStepCount(from.scheduleStep());
            }
            startEpoch = from.epoch();
            startBatch = from.batch();
            step = from.step();
            running = from.running().clone();
            best = from.best();
            lines.addAll(readHistory(from.historyLines()));
            for (String l : lines) {
                history.add(parseLine(l));
            }
        }
        boolean classification = head.kind() != Head.Kind.REGRESSION;
        Progress bar = options.progress() ? Progress.onTerminal(progressOut) : Progress.none();
        long trainNanos = 0;
        long trainSamples = 0;
        long started = System.nanoTime();
        int epochsRun = startEpoch;
        Map<String, Double> lastTrain = Map.of();
        Map<String, Double> lastVal = Map.of();
        for (int epoch = startEpoch; epoch < options.epochs(); epoch++) {
            model.train();
            Iterator<Batch> batches = loader.epoch(epoch, epoch == startEpoch ? startBatch : 0);
            int batchIndex = epoch == startEpoch ? startBatch : 0;
            if (epoch != startEpoch || from == null || from.batch() == 0) {
                running = new double[3];
            }
            Map<String, float[]> before = null;
            while (batches.hasNext()) {
                Batch b = batches.next();
                boolean lastOfEpoch = !batches.hasNext();
                long t0 = System.nanoTime();
                optimizer.zeroGrad();
                Tensor out = model.call(b.x());
                Tensor dataLoss = head.lossOf(out, b.y());
                Tensor total = dataLoss.add(model.penaltyTotal());
                float lossValue = total.item();
                if (!Float.isFinite(lossValue)) {
                    throw new Diverged("step " + (step + 1) + " (epoch " + (epoch + 1) + ", batch " + (batchIndex + 1)
                            + "): the loss is " + lossValue + "; the last good checkpoint is kept");
                }
                total.backward();
                if (options.clipNorm() > 0) {
                    GradClip.byNorm(optimizer.params(), options.clipNorm());
                }
                if (lastOfEpoch) {
                    before = copyParameters();
                }
                optimizer.step();
                model.applyConstraints();
                if (schedule != null && schedulePerStep) {
                    schedule.step();
                }
                checkFinite(step + 1, epoch, batchIndex);
                trainNanos += System.nanoTime() - t0;
                trainSamples += b.size();
                step++;
                batchIndex++;
                running[0] += (double) dataLoss.item() * b.size();
                if (classification) {
                    try (Autograd.Scope ignored = Autograd.noGrad()) {
                        running[1] += head.predictions(out).eq(b.y()).sum().item();
                    }
                }
                running[2] += b.size();
                bar.update(epoch + 1, options.epochs(), batchIndex, loader.batches(), running[0] / running[2]);
                if (options.logEvery() > 0 && step % options.logEvery() == 0) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("format", "omomi.runlog/1");
                    line.put("kind", "step");
                    line.put("epoch", (long) epoch + 1);
                    line.put("step", step);
                    line.put("loss", (double) dataLoss.item());
                    line.put("lr", optimizer.groups().get(0).lr());
                    history.add(line);
                    lines.add(Json.write(line));
                }
                if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0 && !lastOfEpoch && runDir != null) {
                    writeHistory(lines);
                    checkpoint(epoch, batchIndex, step, running, lines.size(), best).save(lastCheckpoint(runDir));
                }
            }
            bar.done();
            // The epoch's record.
            Map<String, Double> trainMetrics = new LinkedHashMap<>();
            trainMetrics.put("loss", running[0] / running[2]);
            if (classification) {
                trainMetrics.put("accuracy", running[1] / running[2]);
            }
            Map<String, Double> valMetrics = val != null && val.size() > 0 ? evaluate(model, head, val) : Map.of();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("format", "omomi.runlog/1");
            record.put("kind", "epoch");
            record.put("epoch", (long) epoch + 1);
            record.put("step", step);
            record.put("lr", optimizer.groups().get(0).lr());
            record.put("train", new LinkedHashMap<>(trainMetrics));
            if (!valMetrics.isEmpty()) {
                record.put("val", new LinkedHashMap<>(valMetrics));
            }
            Map<String, Object> penalties = new LinkedHashMap<>();
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                model.penaltyTerms().forEach((k, v) -> penalties.put(k, (double) v.item()));
            }
            if (!penalties.isEmpty()) {
                record.put("penalties", penalties);
            }
            record.put("params", parameterRecords(before));
            Map<String, Object> activations = DeadUnits.of(model, val != null && val.size() > 0 ? val : train, DeadUnits.PROBE);
            if (!activations.isEmpty()) {
                record.put("activations", activations);
            }
            history.add(record);
            lines.add(Json.write(record));
            lastTrain = trainMetrics;
            lastVal = valMetrics;
            epochsRun = epoch + 1;
            if (schedule != null && !schedulePerStep) {
                schedule.step();
            }
            double monitored = valMetrics.isEmpty() ? trainMetrics.get("loss") : valMetrics.get("loss");
            boolean improved = monitored < best;
            if (improved) {
                best = monitored;
            }
            if (runDir != null) {
                writeHistory(lines);
                Checkpoint c = checkpoint(epoch + 1, 0, step, new double[3], lines.size(), best);
                c.save(lastCheckpoint(runDir));
                if (improved) {
                    c.save(runDir.resolve("checkpoints").resolve("best.safetensors"));
                }
            }
            boolean go = true;
            for (Callback cb : callbacks) {
                go &= cb.afterEpoch(epoch + 1, record);
            }
            if (!go) {
                break;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double perSecond = trainNanos == 0 ? Double.NaN : trainSamples / (trainNanos / 1e9);
        return new Result(history, lastTrain, lastVal, perSecond, seconds, epochsRun, step);
    }

    /** Metrics of a model on a dataset, in evaluation mode, in batches of 1,024. */
    public static Map<String, Double> evaluate(Module model, Head head, Dataset data) {
        Tensor[] out = predictAll(model, data);
        return head.metrics(out[0], out[1]);
    }

    /** The model's outputs on every example of a dataset, and the targets: {outputs, targets}. */
    public static Tensor[] predictAll(Module model, Dataset data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            List<Tensor> outs = new ArrayList<>();
            List<Tensor> ys = new ArrayList<>();
            for (int from = 0; from < data.size(); from += 1024) {
                int to = Math.min(data.size(), from + 1024);
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                Batch b = data.get(idx);
                outs.add(model.call(b.x()));
                ys.add(b.y());
            }
            return new Tensor[] {Tensor.cat(0, outs.toArray(new Tensor[0])), Tensor.cat(0, ys.toArray(new Tensor[0]))};
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    private Checkpoint checkpoint(int epoch, int batch, long step, double[] running, int historyLines, double best) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> state.put(k, Tensor.of(v.toArray(), v.shape())));
        return new Checkpoint(state, optimizer.stateDict(), model.randomState(), epoch, batch, step,
                schedule == null ? 0 : schedule.stepCount(), running.clone(), historyLines, best);
    }

    private Map<String, float[]> copyParameters() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> copy.put(k, v.toArray()));
        return copy;
    }

    private void checkFinite(long step, int epoch, int batch) {
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            float[] a = e.getValue().array();
            if (!allFinite(a)) {
                float bad = 0;
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        bad = v;
                        break;
                    }
                }
                throw new Diverged("step " + step + " (epoch " + (epoch + 1) + ", batch " + (batch + 1) + "): parameter '"
                        + e.getKey() + "' became " + bad + " in the update; the last good checkpoint is kept");
            }
        }
    }

    /**
     * Whether every value is finite, checked every step so it must be cheap: x·0 is 0 for finite x
     * and NaN for NaN or ±∞, and eight independent sums keep the loop from waiting on itself.
     */
    static boolean allFinite(float[] a) {
        int chunks = Parallel.chunks(a.length, 1 << 16);
        if (chunks <= 1) {
            return allFinite(a, 0, a.length);
        }
        boolean[] ok = new boolean[chunks];
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                ok[c] = allFinite(a, (int) ((long) a.length * c / chunks), (int) ((long) a.length * (c + 1) / chunks));
            }
        });
        for (boolean b : ok) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinite(float[] a, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += a[i] * 0f;
            s1 += a[i + 1] * 0f;
            s2 += a[i + 2] * 0f;
            s3 += a[i + 3] * 0f;
            s4 += a[i + 4] * 0f;
            s5 += a[i + 5] * 0f;
            s6 += a[i + 6] * 0f;
            s7 += a[i + 7] * 0f;
        }
        for (; i < to; i++) {
            s0 += a[i] * 0f;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) == 0f;
    }

    /** Per parameter: weight and gradient statistics, and the last update's size relative to the weight. */
    private Map<String, Object> parameterRecords(Map<String, float[]> before) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            Map<String, Object> r = new LinkedHashMap<>();
            List<Object> shape = new ArrayList<>();
            for (int d : p.shape()) {
                shape.add((long) d);
            }
            r.put("shape", shape);
            float[] w = p.toArray();
            r.put("weight", TensorStats.of(w).toJson());
            if (p.grad() != null) {
                r.put("grad", TensorStats.of(p.grad().toArray()).toJson());
            }
            if (before != null && before.containsKey(e.getKey())) {
                float[] old = before.get(e.getKey());
                double du = 0;
                double ww = 0;
                for (int i = 0; i < w.length; i++) {
                    du += ((double) w[i] - old[i]) * ((double) w[i] - old[i]);
                    ww += (double) old[i] * old[i];
                }
                r.put("update_ratio", ww == 0 ? Double.NaN : Math.sqrt(du / ww));
            }
            out.put(e.getKey(), r);
        }
        return out;
    }

    private void writeHistory(List<String> lines) throws IOException {
        if (runDir == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        AtomicFile.writeString(runDir.resolve("history.jsonl"), sb.toString());
    }

    /** The first {@code count} lines of the run log, as the checkpoint knew them. */
    private List<String> readHistory(int count) throws IOException {
        if (runDir == null || count == 0) {
            return List.of();
        }
        Path file = runDir.resolve("history.jsonl");
        List<String> text = Files.readAllLines(file);
        if (text.size() < count) {
            throw new IllegalArgumentException(file + ": has " + text.size() + " lines, the checkpoint expects " + count);
        }
        return text.subList(0, count);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseLine(String line) {
        return (Map<String, Object>) Json.parse(line);
    }
}
