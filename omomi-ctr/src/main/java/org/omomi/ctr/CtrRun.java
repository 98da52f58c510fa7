package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.explain.plot.Png;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.io.Provenance;
import org.omomi.io.SavedModel;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.nn.Penalty;
import org.omomi.optim.Adam;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.Optimizer;
import org.omomi.optim.ParamGroup;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Tensor;
import org.omomi.train.Callback;
import org.omomi.train.Checkpoint;
import org.omomi.train.EarlyStopping;
import org.omomi.train.Head;
import org.omomi.train.StepSource;
import org.omomi.train.Trainer;

/**
 * A click-model run, from a log on disk to a run folder:
 * <ol>
 * <li>the first pass learns the feature processing from the training rows ({@link FeatureLearner});</li>
 * <li>the held-out rows are read into memory ({@link HeldOut});</li>
 * <li>the model ({@link ClickModel}) trains with the shared {@link Trainer} on batches streamed from
 *     the file every epoch ({@link ClickStream}), its held-out log-loss, AUC, normalized entropy and
 *     calibration error recorded after each epoch, early stopping keeping the best epoch;</li>
 * <li>the run folder gets the saved model and the held-out metrics.</li>
 * </ol>
 *
 * <pre>
 * RUN_DIR/ctr.json            the configuration ({@link CtrConfig})
 * RUN_DIR/model.json, model.safetensors, preprocessing.json, provenance.json   the {@link SavedModel}
 * RUN_DIR/history.jsonl, checkpoints/   the run log and checkpoints (docs/runlog.md)
 * RUN_DIR/metrics.json         held-out auc, logloss, normalized_entropy, ece, calibration buckets, row counts
 * RUN_DIR/calibration.png      the reliability diagram
 * </pre>
 */
public final class CtrRun {

    /** The configuration file of a click run folder. */
    public static final String CONFIG = "ctr.json";

    /** What a run produced. */
    public record Result(Path runDir, CtrConfig config, ModelSpec spec, Module model, ClickFeatures features, HeldOut heldOut,
                         Map<String, Object> metrics, Trainer.Result training) {

        /** A held-out metric as a number (auc, logloss, normalized_entropy, ece, true_auc, …). */
        public double metric(String name) {
            Object v = metrics.get(name);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("no metric '" + name + "'; the run has " + metrics.keySet());
            }
            return n.doubleValue();
        }
    }

    private CtrRun() {}

    /**
     * Where a run's training steps come from: by default the log's kept training rows streamed
     * from disk ({@link ClickStream}); a distributed trainer's steps instead (omomi-spark).
     */
    public interface Steps {
        /** The steps for this run's configuration, features, model and count of kept training rows. */
        StepSource of(CtrConfig config, ClickFeatures features, ModelSpec spec, long keptTrainRows) throws IOException;
    }

    /** The log streamed from disk, in shuffle blocks. */
    public static final Steps STREAMED = (c, features, spec, rows) -> StepSource.of(
            new ClickStream(c.log(), features, c.split(), rows, c.loop().batchSize(), c.shuffleBlock(), c.loop().seed()));

    /** Trains a new run into {@code runDir}, which must not exist or be empty. */
    public static Result train(CtrConfig config, Path runDir, Progress progress) throws IOException {
        return train(config, runDir, progress, STREAMED, List.of());
    }

    /** Trains a new run on steps from {@code steps}, with more callbacks after the trainer's own. */
    public static Result train(CtrConfig config, Path runDir, Progress progress, Steps steps, List<Callback> extra) throws IOException {
        if (Files.exists(runDir) && (!Files.isDirectory(runDir) || !AtomicFile.holdsNothingButLeftovers(runDir))) {
            throw new IllegalArgumentException(runDir + " already exists and is not an empty folder; choose another --out, or --resume it");
        }
        return run(config, runDir, null, progress, extra, steps);
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint, on the same log and
     * configuration; a run stopped before its first checkpoint starts again from the beginning.
     */
    public static Result resume(Path runDir, Progress progress) throws IOException {
        return resume(runDir, progress, STREAMED, List.of());
    }

    /** Continues the run in {@code runDir} from its last checkpoint, on steps from {@code steps}. */
    public static Result resume(Path runDir, Progress progress, Steps steps, List<Callback> extra) throws IOException {
        CtrConfig config = readConfig(runDir);
        Path last = Trainer.lastCheckpoint(runDir);
        return run(config, runDir, Files.isRegularFile(last) ? Checkpoint.load(last) : null, progress, extra, steps);
    }

    /** The configuration of a click run folder. */
    @SuppressWarnings("unchecked")
    public static CtrConfig readConfig(Path runDir) throws IOException {
        Path f = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(runDir + ": not a click-model run folder (no " + CONFIG + ")");
        }
        try {
            return CtrConfig.fromJson((Map<String, Object>) Json.parse(Files.readString(f)));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage());
        }
    }

    /** A run with more callbacks after the trainer's own and early stopping (tests interrupt runs this way). */
    static Result run(CtrConfig c, Path runDir, Checkpoint from, Progress progress, List<Callback> extra) throws IOException {
        return run(c, runDir, from, progress, extra, STREAMED);
    }

    private static Result run(CtrConfig c, Path runDir, Checkpoint from, Progress progress, List<Callback> extra, Steps source)
            throws IOException {
        long t0 = System.nanoTime();
        FeatureLearner.Learned learned = FeatureLearner.learn(c.log(), c.features(), c.split(), progress);
        ClickFeatures features = learned.features();
        if (from != null) {
            Object saved = Json.parse(Files.readString(runDir.resolve("preprocessing.json")));
            if (!saved.equals(Json.parse(Json.write(features.toJson())))) {
                throw new IllegalArgumentException(c.log().file() + ": the log changed since the run in " + runDir
                        + " began (its features differ); start a new run");
            }
        }
        ModelSpec spec = ClickModel.spec(c.model().kind(), features, c.model().dim(), c.model().hidden(), c.model().dropout());
        Module model = ClickModel.build(spec, features, c.loop().seed(), c.model().startWeights());
        checkHeap(c, features, learned, model);
        HeldOut heldOut = HeldOut.read(c.log(), features, c.split(), learned.heldOutRows(), c.holdoutMax(), progress);
        Optimizer optimizer = optimizerFor(c, model);

        Provenance provenance = Provenance.now(c.loop().seed(), List.of(c.log().file()), c.toJson());
        if (from == null) {
            boolean created = !Files.exists(runDir);
            try {
                Files.createDirectories(runDir);
                AtomicFile.writeString(runDir.resolve(CONFIG), Json.write(c.toJson()) + "\n");
                SavedModel.writeDescription(runDir, spec, Head.binary(), List.of(), features, provenance);
            } catch (IOException | RuntimeException e) {
                if (created) {
                    deleteTree(runDir);
                }
                throw e;
            }
        }
        ClickObjective objective = new ClickObjective(model, c.posWeight(), c.split().negativeRate());
        Trainer trainer = new Trainer(model, objective, optimizer,
                new Trainer.Options(c.loop().epochs(), c.loop().batchSize(), true, c.loop().seed(), c.loop().checkpointEvery(), 0, 0,
                        progress != Progress.NONE), runDir)
                .withMetrics(ClickMetrics.perEpoch());
        if (c.patience() > 0 && heldOut != null) {
            trainer.addCallback(new EarlyStopping(c.patience(), 0, true));
        }
        extra.forEach(trainer::addCallback);
        StepSource steps = source.of(c, features, spec, learned.keptTrainRows());
        if (c.optim().schedule().equals("cosine")) {
            trainer.withSchedule(LrScheduler.cosineWithWarmup(optimizer, 0, c.loop().epochs() * steps.steps(), 0, 1)).schedulePerStep();
        }
        Trainer.Result r = trainer.fit(steps, heldOut == null ? null : heldOut.data(), from);

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("format", "omomi.ctr.metrics/1");
        metrics.put("kind", "ctr"); // the dashboard's name for the run's kind (RunFiles.kind)
        metrics.put("model", c.model().kind().label());
        Calibration calibration = null;
        if (heldOut != null) {
            float[] p = ClickMetrics.probabilities(Trainer.predictAll(model, heldOut.data())[0]);
            float[] y = heldOut.labels();
            ClickMetrics.of(p, y).forEach(metrics::put);
            calibration = Calibration.of(p, y, Calibration.BUCKETS);
            if (heldOut.hasTruth()) {
                float[] t = new float[heldOut.size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) heldOut.truth()[i];
                }
                ClickMetrics.of(t, y).forEach((k, v) -> {
                    if (!k.equals("ctr")) {
                        metrics.put("true_" + k, v);
                    }
                });
            }
        }
        metrics.put("rows", learned.rows());
        metrics.put("train_rows", learned.trainRows());
        metrics.put("train_rows_kept", learned.keptTrainRows());
        metrics.put("held_out_rows", learned.heldOutRows());
        metrics.put("held_out_rows_evaluated", (long) (heldOut == null ? 0 : heldOut.size()));
        metrics.put("skipped_rows", learned.skipped());
        if (learned.firstSkipped() != null) {
            metrics.put("first_skipped", learned.firstSkipped());
        }
        metrics.put("negative_rate", c.split().negativeRate());
        metrics.put("pos_weight", c.posWeight());
        metrics.put("training_logit_offset", ClickObjective.offset(c.posWeight(), c.split().negativeRate()));
        metrics.put("epochs", (long) r.epochs());
        metrics.put("steps", r.steps());
        metrics.put("stop_reason", r.stopReason());
        metrics.put("train_rows_per_second", r.samplesPerSecond());
        metrics.put("wall_time_s", (System.nanoTime() - t0) / 1e9);
        metrics.put("threads", (long) Parallel.threads());
        if (calibration != null) {
            metrics.put("calibration", calibration.toJson());
        }
        SavedModel.of(spec, model, Head.binary(), List.of(), features, provenance).save(runDir);
        AtomicFile.writeString(runDir.resolve("metrics.json"), Json.write(metrics) + "\n");
        if (calibration != null) {
            Png.write(calibration.plot("Calibration of " + c.model().kind().label() + " on the held-out rows"), runDir.resolve("calibration.png"));
        }
        return new Result(runDir, c, spec, model, features, heldOut, metrics, r);
    }

    /**
     * The run's optimizer over {@code model}, with the model's L1 (a constraint that reads the
     * optimizer's rate) and L2 (penalties) set on it: what training, local or distributed, steps.
     */
    public static Optimizer optimizerFor(CtrConfig c, Module model) {
        Optimizer optimizer = optimizer(c, model);
        regularize(c, model, optimizer);
        return optimizer;
    }

    /** Working room beyond the blocks, the held-out rows and the model: batches, activations, the metrics' copies. */
    private static final long WORKING_BYTES = 12L << 20;

    /**
     * Refuses, before anything is read into memory, a run whose buffers do not fit in the heap
     * this JVM has left, saying what to change: the shuffle blocks (two while the next one is
     * read, each {@code rows × 4 (F + D + 1)} bytes), the held-out rows (read, then copied: twice
     * {@code rows × 4 (F + D + 5)}), and the model's weights with their gradients and Adam's two
     * moments (16 bytes a weight). The log's size does not matter: it streams.
     */
    static void checkHeap(CtrConfig c, ClickFeatures features, FeatureLearner.Learned learned, Module model) {
        long f = features.fieldCount();
        long d = features.numericCount();
        long rowBytes = 4 * (f + d + 1);
        long kept = learned.keptTrainRows();
        long blockRows = Math.min(c.shuffleBlock(), kept + 1);
        long blocks = (kept >= c.shuffleBlock() ? 2 : 1) * blockRows * rowBytes;
        long heldRows = Math.min(learned.heldOutRows(), c.holdoutMax());
        long held = 2 * heldRows * 4 * (f + d + 5);
        long weights = 0;
        for (Tensor p : model.parameters()) {
            weights += 16L * p.numel();
        }
        Runtime rt = Runtime.getRuntime();
        System.gc(); // what is in use now, without the garbage of the first pass
        long used = rt.totalMemory() - rt.freeMemory();
        long left = rt.maxMemory() - used;
        long need = blocks + held + weights + WORKING_BYTES;
        if (need <= left) {
            return;
        }
        long room = left - held - weights - WORKING_BYTES;
        long fits = Long.highestOneBit(Math.max(1, room / (2 * rowBytes)));
        String lower = fits >= c.loop().batchSize()
                ? String.format(Locale.ROOT, "--shuffle-block %d", fits)
                : "a smaller --shuffle-block and --holdout-max";
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: training needs about %,d MiB of heap (shuffle blocks of %,d rows:"
                        + " %,d MiB; %,d held-out rows: %,d MiB; the model: %,d MiB), and this JVM has %,d MiB left of %,d MiB; use %s,"
                        + " or give it more with OMOMI_JAVA_OPTS=-Xmx%dg", c.log().file(), need >> 20, blockRows, blocks >> 20, heldRows,
                held >> 20, weights >> 20, left >> 20, rt.maxMemory() >> 20, lower, Math.max(1, (need + used + (1L << 30) - 1) >> 30)));
    }

    /** SGD for logistic regression; Adam for the others, as SparseAdam on the tables (no weight decay there). */
    static Optimizer optimizer(CtrConfig c, Module model) {
        if (c.optim().optimizer().equals("sgd")) {
            return Sgd.of(model.parameters(), c.optim().lr());
        }
        List<Tensor> tables = ClickModel.tables(model);
        List<Tensor> rest = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (tables.stream().noneMatch(t -> t == p)) {
                rest.add(p);
            }
        }
        List<ParamGroup> groups = new ArrayList<>();
        groups.add(ParamGroup.of(tables).withWeightDecay(0));
        if (!rest.isEmpty()) {
            groups.add(ParamGroup.of(rest));
        }
        return Adam.withGroups(groups, Adam.Options.adam().withLr(c.optim().lr()));
    }

    /** L1 as SGD's proximal step on the first-order weights; L2 as a penalty on every weight (not the biases). */
    private static void regularize(CtrConfig c, Module model, Optimizer optimizer) {
        double l1 = c.optim().l1();
        double l2 = c.optim().l2();
        for (String name : model.namedParameters().keySet()) {
            boolean firstOrder = name.equals(ClickModel.LINEAR + ".weight") || name.equals(ClickModel.DENSE + ".weight");
            if (l1 > 0 && firstOrder) {
                model.constrain(name, new SoftThreshold(l1, () -> optimizer.groups().get(0).lr()));
            }
            if (l2 > 0 && name.endsWith("weight")) {
                model.penalize(name, Penalty.l2((float) l2));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return; // never created (a read-only parent): the error that stopped the run is the one to report
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
