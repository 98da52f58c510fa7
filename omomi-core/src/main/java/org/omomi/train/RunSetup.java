package org.omomi.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.data.Dataset;
import org.omomi.data.FashionMnist;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.io.Provenance;
import org.omomi.io.Safetensors;
import org.omomi.io.SavedModel;
import org.omomi.loss.HuberLoss;
import org.omomi.loss.L1Loss;
import org.omomi.loss.MseLoss;
import org.omomi.nn.Dense;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.nn.Penalty;
import org.omomi.optim.Adam;
import org.omomi.optim.LrScheduler;
import org.omomi.optim.OneCycleLr;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Everything a training run is made of, built from its {@link TrainConfig}: the data and its
 * splits, the preprocessing, the model, its head, the optimizer and the schedule. Building reads
 * and checks every input before anything is written, so bad input leaves nothing behind.
 *
 * <p>Splits, as Keras's {@code validation_split}: the held-out examples are the last ones. For a
 * CSV file without a separate test file, the last {@code testSplit} of the rows are the test set
 * and the last {@code valSplit} of the rest the validation set; for Fashion-MNIST the test set is
 * the official one and validation takes the last {@code valSplit} of the 60,000 training images.
 * The training rows are thus the leading rows of the file, in order: without shuffling a run
 * visits them exactly as a plain PyTorch loop over that prefix would.
 */
public final class RunSetup {

    /**
     * Optimizer steps that a table's mini-batch training aims at when it picks its own length
     * ({@link TrainConfig.Loop#autoEpochs()}): epochs = ⌈steps / steps per epoch⌉, between
     * {@link #AUTO_MIN_EPOCHS} and {@link #AUTO_MAX_EPOCHS}; early stopping usually ends it sooner.
     */
    public static final int AUTO_STEPS = 10_000;
    public static final int AUTO_MIN_EPOCHS = 20;
    public static final int AUTO_MAX_EPOCHS = 1_000;

    /** Epochs of Fashion-MNIST when none are given: the documented recipes' 10. */
    public static final int IMAGE_EPOCHS = 10;

    /** Fashion-MNIST's images: one channel of 28 × 28. */
    public static final int[] FASHION_SHAPE = {1, 28, 28};

    private final TrainConfig config;
    private final Dataset train;
    private final Dataset val;
    private final Dataset test;
    private final Preprocessing preprocessing;
    private final int[] imageShape;
    private final ModelSpec spec;
    private final Head head;
    private final List<String> classes;
    private final Module model;
    private final Optimizer optimizer;
    private final List<Path> dataFiles;

    private RunSetup(TrainConfig config, Dataset train, Dataset val, Dataset test, Preprocessing preprocessing, int[] imageShape,
                     ModelSpec spec, Head head, List<String> classes, Module model, Optimizer optimizer, List<Path> dataFiles) {
        this.config = config;
        this.train = train;
        this.val = val;
        this.test = test;
        this.preprocessing = preprocessing;
        this.imageShape = imageShape;
        this.spec = spec;
        this.head = head;
        this.classes = classes;
        this.model = model;
        this.optimizer = optimizer;
        this.dataFiles = dataFiles;
    }

    public TrainConfig config() {
        return config;
    }

    public Dataset train() {
        return train;
    }

    /** The validation set, or null. */
    public Dataset val() {
        return val;
    }

    /** The test set, or null. */
    public Dataset test() {
        return test;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** {channels, height, width} of image data, or null for a table. */
    public int[] imageShape() {
        return imageShape == null ? null : imageShape.clone();
    }

    /** Whether the data is a CSV table (else images). */
    public boolean isTabular() {
        return preprocessing instanceof Tabular;
    }

    public ModelSpec spec() {
        return spec;
    }

    public Head head() {
        return head;
    }

    public List<String> classes() {
        return classes;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The data files read, for provenance. */
    public List<Path> dataFiles() {
        return dataFiles;
    }

    /** The learning-rate schedule the configuration asks for (stepped per epoch, or per step for one-cycle), or null. */
    public LrScheduler schedule() {
        int epochs = config.loop().epochs();
        switch (config.optim().schedule()) {
            case "cosine": return LrScheduler.cosineWithWarmup(optimizer, Math.min(1, epochs - 1), epochs, 0, 0.1);
            case "onecycle": return OneCycleLr.of(optimizer, config.optim().lr(), epochs * stepsPerEpoch());
            default: return null;
        }
    }

    /** Optimizer steps per epoch. */
    public int stepsPerEpoch() {
        int b = config.loop().batchSize();
        return (train.size() + b - 1) / b;
    }

    /**
     * How the run trains: "lbfgs" (full-batch L-BFGS to tolerance, {@link ConvexFit}) or
     * "minibatch". With the solver "auto", a logistic or linear regression of a table — a convex
     * problem — is fitted by L-BFGS, unless L1 (penalty or loss) asks for mini-batches.
     */
    public String solver() {
        String s = config.optim().solver();
        if (!s.equals("auto")) {
            return s;
        }
        boolean l1 = config.optim().l1() > 0 || "l1".equals(config.model().loss());
        return isTabular() && config.model().name().equals("logreg") && !l1 ? "lbfgs" : "minibatch";
    }

    /** The trained model as a {@link SavedModel}, with provenance. */
    public SavedModel saved() throws IOException {
        return SavedModel.of(spec, model, head, classes, preprocessing, provenance());
    }

    public Provenance provenance() throws IOException {
        return Provenance.now(config.loop().seed(), dataFiles, config.toJson());
    }

    /** Builds everything from a configuration; every input is read and checked here. */
    public static RunSetup build(TrainConfig c) throws IOException {
        TrainConfig.Data d = c.data();
        Dataset train;
        Dataset val;
        Dataset test;
        Preprocessing pre;
        int[] imageShape = null;
        int inputs;
        int classCount;
        List<String> classes;
        Tabular.Task task;
        List<Path> files = new ArrayList<>();
        List<ModelSpec.InputSpec> dataInputs;
        if (d.isFashionMnist()) {
            Path dir = Path.of(d.dataDir() != null ? d.dataDir() : FashionMnist.DEBIAN_DIR.toString());
            TensorDataset all = FashionMnist.train(dir);
            TensorDataset testImages = FashionMnist.test(dir);
            try (var s = Files.list(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            int nVal = (int) Math.round(all.size() * d.valSplit());
            imageShape = FASHION_SHAPE.clone();
            ImageScaling scaling = ImageScaling.none(imageShape);
            if ("standard".equals(d.scale())) {
                // One mean and standard deviation over every pixel of the training images (not the
                // validation ones), as torchvision's Normalize: the images keep their structure.
                scaling = ImageScaling.fit(all.x(), all.size() - nVal, imageShape);
                all = scaling.apply(all);
                testImages = scaling.apply(testImages);
            }
            pre = scaling;
            test = testImages;
            train = all.range(0, all.size() - nVal);
            val = nVal == 0 ? null : all.range(all.size() - nVal, all.size());
            inputs = scaling.pixels();
            dataInputs = List.of(ModelSpec.InputSpec.floats("x", inputs));
            classes = FashionMnist.CLASSES;
            classCount = classes.size();
            task = Tabular.Task.CLASSIFICATION;
            if (d.task() != null && !d.task().equals("classification")) {
                throw new IllegalArgumentException("--task " + d.task() + ": Fashion-MNIST is a classification task");
            }
        } else {
            Path file = Path.of(d.source());
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "not a data file; use fashion-mnist or a CSV file");
            }
            if (d.target() == null) {
                throw new IllegalArgumentException("--target COLUMN is needed with a CSV file");
            }
            files.add(file);
            Path testFile = d.test() == null ? null : Path.of(d.test());
            long need = HeapBudget.checkCsv(file, testFile);
            try {
                Csv.Table table = Csv.read(file);
                table.column(d.target());
                Csv.Table testTable;
                Csv.Table rest;
                int n = table.rows().size();
                if (d.test() != null) {
                    testTable = Csv.read(Path.of(d.test()));
                    files.add(Path.of(d.test()));
                    rest = table;
                } else {
                    int nTest = (int) Math.round(n * d.testSplit());
                    testTable = table.select(range(n - nTest, n));
                    rest = table.select(range(0, n - nTest));
                }
                int m = rest.rows().size();
                int nVal = (int) Math.round(m * d.valSplit());
                Csv.Table trainTable = rest.select(range(0, m - nVal));
                Csv.Table valTable = rest.select(range(m - nVal, m));
                if (trainTable.rows().isEmpty()) {
                    throw new IllegalArgumentException(file + ": no rows left to train on after the test and validation splits");
                }
                Tabular.Task forced = d.task() == null ? null : Tabular.Task.valueOf(d.task().toUpperCase(Locale.ROOT));
                boolean ids = d.categoricalEncoding().equals("index");
                Tabular tabular = Tabular.fit(trainTable, d.target(), forced, "standard".equals(d.scale()),
                        ids ? Tabular.Encoding.INDEX : Tabular.Encoding.ONE_HOT, new HashSet<>(d.categorical()),
                        new Tabular.Ids(1, d.hashBuckets()));
                pre = tabular;
                train = tabular.dataset(trainTable);
                val = valTable.rows().isEmpty() ? null : tabular.dataset(valTable);
                test = testTable.rows().isEmpty() ? null : tabular.dataset(testTable);
                inputs = tabular.inputSize();
                task = tabular.task();
                classes = task == Tabular.Task.CLASSIFICATION ? tabular.classes() : List.of();
                classCount = classes.size();
                dataInputs = new ArrayList<>();
                if (inputs > 0) {
                    dataInputs.add(ModelSpec.InputSpec.floats(Tabular.DENSE, inputs));
                }
                if (!tabular.idColumns().isEmpty()) {
                    dataInputs.add(ModelSpec.InputSpec.ids(Tabular.IDS, tabular.idColumns().size()));
                }
            } catch (OutOfMemoryError e) { // the estimate fell short: the same advice, not a stack trace
                throw new IllegalArgumentException(HeapBudget.tooLarge(file, Math.max(need, HeapBudget.max() + 1)), e);
            }
        }
        if (c.loop().autoEpochs() && !d.isFashionMnist()) {
            int steps = (train.size() + c.loop().batchSize() - 1) / c.loop().batchSize();
            int epochs = Math.max(AUTO_MIN_EPOCHS, Math.min(AUTO_MAX_EPOCHS, (AUTO_STEPS + steps - 1) / steps));
            c = c.withLoop(c.loop().withEpochs(epochs));
        }
        Head head = head(c.model().loss(), task, classCount);
        ModelSpec spec = modelSpec(c.model(), dataInputs, head.outputs(), imageShape);
        Module model = spec.build(new Rng(c.loop().seed()).split());
        if (c.model().initWeights() != null) {
            Path w = Path.of(c.model().initWeights());
            model.loadStateDict(SavedModel.checkWeights(w, Safetensors.read(w).tensors(), model));
        }
        Optimizer optimizer = optimizerFor(c.optim(), model);
        return new RunSetup(c, train, val, test, pre, imageShape, spec, head, classes, model, optimizer, files);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** The head for a task and an optional --loss. */
    public static Head head(String loss, Tabular.Task task, int classes) {
        if (task == Tabular.Task.REGRESSION) {
            if (loss == null || loss.equals("mse")) {
                return Head.regression(1, new MseLoss());
            }
            if (loss.equals("l1")) {
                return Head.regression(1, new L1Loss());
            }
            if (loss.equals("huber")) {
                return Head.regression(1, new HuberLoss());
            }
            throw new IllegalArgumentException("--loss " + loss + " does not fit regression; use mse, l1 or huber");
        }
        if (loss == null) {
            return classes == 2 ? Head.binary() : Head.multiclass(classes);
        }
        if (loss.equals("ce")) {
            return Head.multiclass(classes);
        }
        if (loss.equals("bce")) {
            if (classes != 2) {
                throw new IllegalArgumentException("--loss bce needs two classes, the data has " + classes);
            }
            return Head.binary();
        }
        throw new IllegalArgumentException("--loss " + loss + " does not fit classification; use ce or bce");
    }

    @SuppressWarnings("unchecked")
    private static ModelSpec modelSpec(TrainConfig.Model m, List<ModelSpec.InputSpec> data, int outputs, int[] image) throws IOException {
        boolean oneFloat = data.size() == 1 && !data.get(0).ids();
        if (TrainConfig.Model.BUILT_IN.contains(m.name()) && !oneFloat) {
            throw new IllegalArgumentException("--model " + m.name() + " reads one float input; with --categorical-encoding index the data has "
                    + data.stream().map(ModelSpec.InputSpec::name).toList() + ": describe a model with embeddings in a model.json file");
        }
        int inputs = oneFloat ? data.get(0).width() : 0;
        switch (m.name()) {
            case "logreg":
                return ModelSpec.logisticRegression(inputs, outputs);
            case "cnn":
            case "resnet":
            case "plain": {
                if (image == null) {
                    throw new IllegalArgumentException("--model " + m.name() + " needs images; the data is a table of " + inputs + " inputs");
                }
                return m.name().equals("cnn") ? ModelSpec.cnn(image, outputs)
                        : ModelSpec.resnet(m.depth(), m.width(), image, outputs, m.name().equals("resnet"));
            }
            case "mlp":
                return ModelSpec.mlp(inputs, m.hidden().stream().mapToInt(Integer::intValue).toArray(), m.activation(), outputs);
            default: {
                Path file = Path.of(m.name());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("unknown model '" + m.name() + "'; built in: logreg, mlp, cnn, resnet, plain; or give a model.json file");
                }
                ModelSpec spec;
                try {
                    spec = ModelSpec.fromJson((Map<String, Object>) Json.parse(Files.readString(file)));
                } catch (IllegalArgumentException | ClassCastException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
                if (!describe(spec.inputs()).equals(describe(data)) || spec.outputs() != outputs) {
                    throw new IllegalArgumentException(file + ": the model takes " + describe(spec.inputs()) + " and gives " + spec.outputs()
                            + " outputs; the data gives " + describe(data) + " and needs " + outputs);
                }
                return spec;
            }
        }
    }

    /** Inputs as "x: 12 floats, ids: 3 ids", for comparing a model file with the data. */
    private static String describe(List<ModelSpec.InputSpec> inputs) {
        List<String> parts = new ArrayList<>();
        inputs.forEach(i -> parts.add(i.name() + ": " + i.width() + (i.ids() ? " ids" : " floats")));
        return String.join(", ", parts);
    }

    /**
     * The optimizer of {@code o} over {@code model}, with the L1/L2 penalties of {@code o} set on
     * the model's dense weights: what a worker of a distributed run builds beside its replica.
     */
    public static Optimizer optimizerFor(TrainConfig.Optim o, Module model) {
        attachPenalties(o, model);
        return optimizer(o, model);
    }

    private static void attachPenalties(TrainConfig.Optim o, Module model) {
        model.namedModules().forEach((name, m) -> {
            if (m instanceof Dense) {
                if (o.l1() > 0) {
                    m.penalize(Penalty.l1((float) o.l1()));
                }
                if (o.l2() > 0) {
                    m.penalize(Penalty.l2((float) o.l2()));
                }
            }
        });
    }

    private static Optimizer optimizer(TrainConfig.Optim o, Module model) {
        List<Tensor> params = model.parameters();
        switch (o.optimizer()) {
            case "sgd":
                return new Sgd(params, Sgd.Options.lr(o.lr()).withMomentum(o.momentum() == null ? 0 : o.momentum()).withWeightDecay(o.weightDecay()));
            case "momentum":
                return new Sgd(params, Sgd.Options.lr(o.lr()).withMomentum(o.momentum() == null ? 0.9 : o.momentum()).withWeightDecay(o.weightDecay()));
            default: {
                Adam.Options a = (o.optimizer().equals("adam") ? Adam.Options.adam() : Adam.Options.adamW()).withLr(o.lr()).withWeightDecay(o.weightDecay());
                if (o.momentum() != null) {
                    a = a.withBetas(o.momentum(), a.beta2());
                }
                return new Adam(params, a);
            }
        }
    }
}
