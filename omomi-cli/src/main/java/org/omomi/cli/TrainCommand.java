package org.omomi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.Augmentation;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.explain.DeadUnits;
import org.omomi.io.SavedModel;
import org.omomi.train.Checkpoint;
import org.omomi.train.ConvexFit;
import org.omomi.train.ConvexRun;
import org.omomi.train.EarlyStopping;
import org.omomi.train.RunSetup;
import org.omomi.train.TrainConfig;
import org.omomi.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi train}: trains a model and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on Fashion-MNIST or a CSV file and write a run folder:",
            "  config.json, model.json, preprocessing.json (CSV), model.safetensors (PyTorch names and layouts),",
            "  metrics.json, history.jsonl (one JSON line per epoch: docs/runlog.md) and checkpoints/."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "NAME|FILE", defaultValue = "mlp",
            description = "logreg, mlp, cnn, resnet, plain (resnet without shortcuts), or a model.json file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--depth", defaultValue = "8", description = "Weighted layers of resnet and plain: 6n + 2 (8, 14, 20, …) (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--width", defaultValue = "" + ModelSpec.RESNET_WIDTH, description = "Channels of resnet's and plain's first stage; the next two have 2× and 4× (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--augment", description = "Random crops (±2 pixels) and horizontal flips of the training images.")
    boolean augment;

    @Option(names = "--hidden", paramLabel = "N,N", split = ",", defaultValue = "512,256",
            description = "Hidden layer widths of mlp (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--activation", defaultValue = "relu",
            description = "Activation of mlp: relu, tanh, sigmoid, gelu, elu, leaky_relu, softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--data", paramLabel = "fashion-mnist|FILE.csv", description = "The training data.")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the Fashion-MNIST files (default: /usr/share/datasets/fashion-mnist).")
    String dataDir;

    @Option(names = "--target", paramLabel = "COLUMN", description = "The column to predict (CSV).")
    String target;

    @Option(names = "--test", paramLabel = "FILE.csv", description = "A separate test file (CSV); else --test-split of the rows.")
    String test;

    @Option(names = "--task", description = "classification or regression (inferred from the target when omitted).")
    String task;

    @Option(names = "--loss", description = "ce or bce (classification); mse, l1 or huber (regression).")
    String loss;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: 10 for images; for a CSV table, chosen from its size — about 10,000 steps, 20 to 1,000 epochs —"
                    + " and stopped early when the validation loss stops improving). Not used by L-BFGS.")
    Integer epochs;

    @Option(names = "--solver", defaultValue = "auto", paramLabel = "auto|lbfgs|minibatch",
            description = "How to fit: auto (full-batch L-BFGS to convergence for --model logreg on a CSV table, a logistic or linear"
                    + " regression; mini-batches otherwise), lbfgs or minibatch (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--patience", paramLabel = "EPOCHS",
            description = "Stop mini-batch training when the validation loss has not improved for this many epochs, and keep the best"
                    + " epoch's weights (default: 10 for a CSV table; off for images; 0 turns it off).")
    Integer patience;

    @Option(names = "--batch-size", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate η (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "Learning-rate schedule: cosine (one epoch of linear warm-up from lr/10, then cosine decay towards 0 "
                    + "at the last epoch), none (a constant --lr), or onecycle (Smith's one-cycle policy to --lr, stepped every batch) "
                    + "(default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--momentum", description = "Momentum (sgd, momentum; default 0.9 for momentum) or β₁ (adam, adamw).")
    Double momentum;

    @Option(names = "--weight-decay", defaultValue = "0",
            description = "Weight decay: added to the gradient (sgd, momentum, adam) or decoupled (adamw) (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty λ·Σ|w| on every dense weight (default: ${DEFAULT-VALUE}).")
    double l1;

    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty λ·Σw² on every dense weight (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-split", defaultValue = "0.1", description = "Fraction held out for validation; 0 allowed (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--test-split", defaultValue = "0.2", description = "Fraction of a CSV held out for testing without --test (default: ${DEFAULT-VALUE}).")
    double testSplit;

    @Option(names = "--scale", defaultValue = "standard",
            description = "none or standard: standardize each numeric CSV column, or images by the mean and std of all training pixels (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--categorical", split = ",", paramLabel = "COL,COL", description = "Treat these CSV columns as categorical.")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--no-shuffle", description = "Visit the training examples in file order every epoch.")
    boolean noShuffle;

    @Option(names = "--init-weights", paramLabel = "FILE.safetensors", description = "Start from these weights (PyTorch names and shapes).")
    String initWeights;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Also checkpoint every STEPS optimizer steps (default: every epoch only).")
    int checkpointEvery;

    @Option(names = "--log-every", defaultValue = "0", paramLabel = "STEPS", description = "Log the loss every STEPS steps too.")
    int logEvery;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "The run folder to create.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its last checkpoint.")
    Path resume;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DashboardOption dashboard = new DashboardOption();

    @Option(names = "--categorical-encoding", defaultValue = "one_hot", paramLabel = "one_hot|index",
            description = "CSV categories as one-hot columns, or as integer ids for a model.json with embeddings (input 'ids') (default: ${DEFAULT-VALUE}).")
    String categoricalEncoding;

    @Option(names = "--hash-buckets", defaultValue = "0", paramLabel = "N",
            description = "With --categorical-encoding index: hash categories into N ids (the hashing trick) instead of a vocabulary (default: ${DEFAULT-VALUE}, a vocabulary).")
    int hashBuckets;

    @Override
    public Integer call() throws IOException {
        PrintWriter pw = spec.commandLine().getOut();
        TrainConfig config;
        Path runDir;
        Checkpoint from = null;
        if (resume != null) {
            if (out != null) {
                throw new IllegalArgumentException("--resume continues RUN_DIR in place; drop --out");
            }
            runDir = resume;
            Path cfg = runDir.resolve("config.json");
            if (!Files.isRegularFile(cfg)) {
                throw new IllegalArgumentException(runDir + ": not a run folder (no config.json)");
            }
            config = TrainConfig.fromJson(readConfig(cfg));
        } else {
            if (out == null) {
                throw new IllegalArgumentException("--out RUN_DIR is needed (or --resume RUN_DIR)");
            }
            if (data == null) {
                throw new IllegalArgumentException("--data fashion-mnist|FILE.csv is needed");
            }
            config = configFromOptions();
            runDir = out;
            if (Files.exists(runDir) && (!Files.isDirectory(runDir) || !AtomicFile.holdsNothingButLeftovers(runDir))) {
                throw new IllegalArgumentException(runDir + " already exists and is not an empty folder; choose another --out, or --resume it");
            }
            AtomicFile.deleteLeftovers(runDir); // a start killed before its first file was whole left them
        }
        long t0 = System.nanoTime();
        RunSetup setup = RunSetup.build(config); // reads and checks all input before anything is written
        config = setup.config(); // with the epochs chosen from the data
        boolean lbfgs = setup.solver().equals("lbfgs");
        if (config.loop().augment() && setup.isTabular()) {
            throw new IllegalArgumentException("--augment applies to images, not to CSV data");
        }
        if (resume != null && !lbfgs) {
            Path last = Trainer.lastCheckpoint(runDir);
            if (Files.isRegularFile(last)) {
                from = Checkpoint.load(last);
            } else {
                pw.printf("%s: no checkpoint yet (stopped before the first one): training from the start%n", runDir);
            }
        }
        if (from == null) { // a new run, or one stopped before its first checkpoint: (re)write its description
            boolean created = createRunDir(runDir);
            try {
                AtomicFile.writeString(runDir.resolve("config.json"), Json.write(config.toJson()) + "\n");
                SavedModel.writeDescription(runDir, setup.spec(), setup.head(), setup.classes(), setup.preprocessing(), setup.provenance());
            } catch (IOException | RuntimeException e) {
                if (created) {
                    deleteTree(runDir);
                }
                throw e;
            }
        }
        org.omomi.train.Callback live = dashboard.start(runDir, pw);
        DeadUnits probe = new DeadUnits(setup.val() != null && setup.val().size() > 0 ? setup.val() : setup.train());
        Map<String, Double> trainMetrics;
        Map<String, Double> valMetrics;
        int epochsRun;
        long steps;
        double samplesPerSecond;
        boolean converged;
        String convergence;
        if (lbfgs) {
            // A convex problem, fitted to tolerance; a resumed run fits again (the same weights).
            ConvexRun.Result fit = ConvexRun.fit(setup.model(), setup.head(), setup.train(), setup.val(), ConvexFit.Options.defaults(),
                    runDir, List.of(probe));
            trainMetrics = fit.record().train();
            valMetrics = fit.record().val();
            epochsRun = 1;
            steps = fit.fit().iterations();
            samplesPerSecond = (double) setup.train().size() * fit.fit().evaluations() / fit.seconds();
            converged = fit.fit().converged();
            convergence = "L-BFGS, " + fit.fit().iterations() + " iterations: " + fit.fit().reason();
        } else {
            TrainConfig.Loop loop = config.loop();
            Trainer trainer = new Trainer(setup.model(), setup.head(), setup.optimizer(), setup.schedule(),
                    new Trainer.Options(loop.epochs(), loop.batchSize(), loop.shuffle(), loop.seed(), loop.checkpointEvery(),
                            loop.logEvery(), 0, true), runDir)
                    .addCallback(probe).addCallback(live);
            int wait = loop.patience();
            if (wait > 0) {
                trainer.addCallback(new EarlyStopping(wait, 0, true));
            }
            if (config.optim().schedule().equals("onecycle")) {
                trainer.schedulePerStep();
            }
            if (loop.augment()) {
                int[] image = setup.imageShape();
                trainer.withAugmentation(Augmentation.randomCrop(image[1], image[2], 2).then(Augmentation.horizontalFlip(image[1], image[2])));
            }
            Trainer.Result r;
            try {
                r = from == null ? trainer.fit(setup.train(), setup.val()) : trainer.resume(setup.train(), setup.val(), from);
            } catch (org.omomi.train.Diverged e) {
                throw new org.omomi.train.Diverged(e.getMessage() + String.format(Locale.ROOT, "; train again with a lower --lr than %s",
                        config.optim().lr()));
            }
            trainMetrics = r.train();
            valMetrics = r.val();
            epochsRun = r.epochs();
            steps = r.steps();
            samplesPerSecond = r.samplesPerSecond();
            String[] verdict = convergence(r, wait > 0);
            converged = verdict[0] != null;
            convergence = verdict[0] != null ? verdict[0] : verdict[1];
            if (wait > 0) { // the weights are the best epoch's: report its metrics
                valMetrics = setup.val() == null || setup.val().size() == 0 ? valMetrics
                        : Trainer.evaluate(setup.model(), setup.head(), setup.val());
            }
        }
        Map<String, Double> testMetrics = setup.test() == null ? Map.of() : Trainer.evaluate(setup.model(), setup.head(), setup.test());
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("format", "omomi.metrics/1");
        testMetrics.forEach((k, v) -> metrics.put("test_" + k, v));
        trainMetrics.forEach((k, v) -> metrics.put("train_" + k, v));
        valMetrics.forEach((k, v) -> metrics.put("val_" + k, v));
        metrics.put("solver", lbfgs ? "lbfgs" : "minibatch");
        metrics.put("converged", converged);
        metrics.put("convergence", convergence);
        metrics.put("epochs", (long) epochsRun);
        metrics.put("steps", steps);
        metrics.put("train_samples_per_second", samplesPerSecond);
        metrics.put("wall_time_s", seconds);
        metrics.put("threads", (long) Parallel.threads());
        metrics.put("gemm", Gemm.backend().name());
        setup.saved().save(runDir);
        AtomicFile.writeString(runDir.resolve("metrics.json"), Json.writeStandard(metrics) + "\n");

        if (lbfgs) {
            pw.printf("trained %s on %s by L-BFGS: %d iterations, %.1f s%n", setup.spec().name(), config.data().source(), steps, seconds);
        } else {
            pw.printf("trained %s on %s: %d epochs, %d steps, %.1f s (%.0f samples/s)%n", setup.spec().name(), config.data().source(),
                    epochsRun, steps, seconds, samplesPerSecond);
        }
        print(pw, "train", trainMetrics);
        print(pw, "val", valMetrics);
        print(pw, "test", testMetrics);
        pw.printf("%s: %s%n", converged ? "converged" : "not converged", convergence);
        pw.printf("run folder: %s%n", runDir);
        pw.flush();
        dashboard.finish(pw);
        return 0;
    }

    /**
     * Whether a mini-batch run converged: {converged reason, null} or {null, why not}. It did when
     * early stopping ended it, or when the monitored loss had stopped improving at least three
     * epochs before a fixed-length run ended; otherwise it was still improving when it stopped.
     */
    static String[] convergence(Trainer.Result r, boolean earlyStopping) {
        List<org.omomi.train.EpochRecord> h = r.history();
        String what = !h.isEmpty() && h.get(0).val().containsKey("loss") ? "validation" : "training";
        if (r.stopReason() != null) {
            return new String[] {"stopped after " + r.epochs() + (r.epochs() == 1 ? " epoch: " : " epochs: ") + r.stopReason(), null};
        }
        int best = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (var e : h) {
            double v = e.val().containsKey("loss") ? e.val().get("loss") : e.train().getOrDefault("loss", Double.NaN);
            if (v < bestLoss) {
                bestLoss = v;
                best = (int) e.epoch();
            }
        }
        int last = h.isEmpty() ? 0 : (int) h.get(h.size() - 1).epoch();
        if (last - best >= 3) {
            return new String[] {"the " + what + " loss stopped improving after epoch " + best + " of " + last, null};
        }
        return new String[] {null, "the " + what + " loss was still improving when training stopped after " + last
                + (last == 1 ? " epoch" : " epochs") + " (best at epoch " + best + ")" + (earlyStopping ? "; give more --epochs" : "; a longer run may do better")};
    }

    private static void print(PrintWriter pw, String split, Map<String, Double> m) {
        if (m.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("  " + split);
        m.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        pw.println(sb);
    }

    /** The typed configuration of these options; every check that needs no file happens here. */
    private TrainConfig configFromOptions() {
        String modelName = model.endsWith(".json") ? Path.of(model).toAbsolutePath().toString() : model;
        TrainConfig.Data d = new TrainConfig.Data(data.equals("fashion-mnist") ? data : Path.of(data).toAbsolutePath().toString(),
                dataDir == null ? null : Path.of(dataDir).toAbsolutePath().toString(), target,
                test == null ? null : Path.of(test).toAbsolutePath().toString(), task, valSplit, testSplit, scale, categorical,
                categoricalEncoding, hashBuckets);
        TrainConfig.Model m = new TrainConfig.Model(modelName, hidden, activation, depth, width, loss,
                initWeights == null ? null : Path.of(initWeights).toAbsolutePath().toString());
        TrainConfig.Optim o = new TrainConfig.Optim(optimizer, lr, momentum, weightDecay, l1, l2, schedule, solver);
        TrainConfig.Loop l = new TrainConfig.Loop(epochs == null ? RunSetup.IMAGE_EPOCHS : epochs, epochs == null, batchSize, seed,
                !noShuffle, augment, checkpointEvery, logEvery, patience != null ? patience : data.equals("fashion-mnist") ? 0 : 10);
        return new TrainConfig(d, m, o, l);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readConfig(Path file) throws IOException {
        Object parsed = Json.parse(Files.readString(file));
        if (!(parsed instanceof Map) || !"omomi.train/1".equals(((Map<String, Object>) parsed).get("format"))) {
            throw new IllegalArgumentException(file + ": not an omomi.train/1 configuration");
        }
        return (Map<String, Object>) parsed;
    }

    /** Creates the run folder; true when it did not exist before. */
    private static boolean createRunDir(Path dir) throws IOException {
        boolean existed = Files.isDirectory(dir);
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot create the run folder " + dir + ": permission denied");
        } catch (FileSystemException e) {
            throw new IllegalArgumentException("cannot create the run folder " + dir + ": " + (e.getReason() != null ? e.getReason() : e.getMessage()));
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("the run folder " + dir + " is not writable");
        }
        return !existed;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
