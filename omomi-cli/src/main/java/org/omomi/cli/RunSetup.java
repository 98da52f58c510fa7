package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omomi.data.Csv;
import org.omomi.data.Dataset;
import org.omomi.data.FashionMnist;
import org.omomi.data.Tabular;
import org.omomi.data.TensorDataset;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.loss.HuberLoss;
import org.omomi.loss.L1Loss;
import org.omomi.loss.MseLoss;
import org.omomi.nn.Dense;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.nn.Penalty;
import org.omomi.nn.Sequential;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * Everything a training run is made of, built from its configuration (the content of a run's
 * {@code config.json}): the data and its splits, the preprocessing, the model, its head and the
 * optimizer. Building reads and checks every input before anything is written, so bad input
 * leaves nothing behind.
 *
 * <p>Splits, as Keras's {@code validation_split}: the held-out examples are the last ones. For a
 * CSV file without {@code --test}, the last {@code test_split} of the rows are the test set and the
 * last {@code val_split} of the rest the validation set; for Fashion-MNIST the test set is the
 * official one and validation takes the last {@code val_split} of the 60,000 training images. The
 * training rows are thus the leading rows of the file, in order: with {@code --no-shuffle} a run
 * visits them exactly as a plain PyTorch loop over that prefix would.
 */
final class RunSetup {

    final Map<String, Object> config;
    final Dataset train;
    final Dataset val;
    final Dataset test;
    final Tabular tabular; // null for images
    final float[] imageScale; // {mean, std} of the training pixels, or null: images are standardized with them
    final ModelSpec spec;
    final Head head;
    final Sequential model;
    final Optimizer optimizer;

    private RunSetup(Map<String, Object> config, Dataset train, Dataset val, Dataset test, Tabular tabular, float[] imageScale,
                     ModelSpec spec, Head head, Sequential model, Optimizer optimizer) {
        this.config = config;
        this.train = train;
        this.val = val;
        this.test = test;
        this.tabular = tabular;
        this.imageScale = imageScale;
        this.spec = spec;
        this.head = head;
        this.model = model;
        this.optimizer = optimizer;
    }

    static String str(Map<String, Object> c, String key) {
        Object v = c.get(key);
        return v == null ? null : String.valueOf(v);
    }

    static double num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).doubleValue();
    }

    static RunSetup build(Map<String, Object> c) throws IOException {
        String data = str(c, "data");
        double valSplit = num(c, "val_split");
        double testSplit = num(c, "test_split");
        Dataset train;
        Dataset val;
        Dataset test;
        Tabular tabular = null;
        float[] imageScale = null;
        int inputs;
        int classes;
        Tabular.Task task;
        if (data.equals("fashion-mnist")) {
            Path dir = Path.of(str(c, "data_dir") != null ? str(c, "data_dir") : FashionMnist.DEBIAN_DIR.toString());
            TensorDataset all = FashionMnist.train(dir);
            test = FashionMnist.test(dir);
            int nVal = (int) Math.round(all.size() * valSplit);
            if ("standard".equals(str(c, "scale"))) {
                // One mean and standard deviation over every pixel of the training images (not the
                // validation ones), as torchvision's Normalize: the images keep their structure.
                imageScale = pixelScale(all.x(), all.size() - nVal);
                all = standardize(all, imageScale);
                test = standardize((TensorDataset) test, imageScale);
            }
            train = all.range(0, all.size() - nVal);
            val = nVal == 0 ? null : all.range(all.size() - nVal, all.size());
            inputs = 784;
            classes = FashionMnist.CLASSES.size();
            task = Tabular.Task.CLASSIFICATION;
            if (str(c, "task") != null && !str(c, "task").equals("classification")) {
                throw new IllegalArgumentException("--task " + str(c, "task") + ": Fashion-MNIST is a classification task");
            }
        } else {
            Path file = Path.of(data);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "not a data file; use fashion-mnist or a CSV file");
            }
            String target = str(c, "target");
            if (target == null) {
                throw new IllegalArgumentException("--target COLUMN is needed with a CSV file");
            }
            Csv.Table table = Csv.read(file);
            table.column(target);
            Csv.Table testTable;
            Csv.Table rest;
            int n = table.rows().size();
            if (str(c, "test") != null) {
                testTable = Csv.read(Path.of(str(c, "test")));
                rest = table;
            } else {
                int nTest = (int) Math.round(n * testSplit);
                testTable = table.select(range(n - nTest, n));
                rest = table.select(range(0, n - nTest));
            }
            int m = rest.rows().size();
            int nVal = (int) Math.round(m * valSplit);
            Csv.Table trainTable = rest.select(range(0, m - nVal));
            Csv.Table valTable = rest.select(range(m - nVal, m));
            if (trainTable.rows().isEmpty()) {
                throw new IllegalArgumentException(file + ": no rows left to train on after the test and validation splits");
            }
            String taskName = str(c, "task");
            Tabular.Task forced = taskName == null ? null : Tabular.Task.valueOf(taskName.toUpperCase(Locale.ROOT));
            Set<String> categorical = new HashSet<>();
            for (Object o : (List<?>) c.getOrDefault("categorical", List.of())) {
                categorical.add(String.valueOf(o));
            }
            tabular = Tabular.fit(trainTable, target, forced, "standard".equals(str(c, "scale")),
                    "index".equals(str(c, "categorical_encoding")) ? Tabular.Encoding.INDEX : Tabular.Encoding.ONE_HOT, categorical);
            train = tabular.dataset(trainTable);
            val = valTable.rows().isEmpty() ? null : tabular.dataset(valTable);
            test = testTable.rows().isEmpty() ? null : tabular.dataset(testTable);
            inputs = tabular.inputSize();
            task = tabular.task();
            classes = task == Tabular.Task.CLASSIFICATION ? tabular.classes().size() : 0;
        }
        Head head = head(c, task, classes);
        ModelSpec spec = modelSpec(c, inputs, head.outputs());
        Sequential model = spec.build(new Rng(((Number) c.get("seed")).longValue()).split());
        if (str(c, "init_weights") != null) {
            Path w = Path.of(str(c, "init_weights"));
            model.loadStateDict(named(w, Safetensors.read(w).tensors(), model));
        }
        attachPenalties(c, model);
        Optimizer optimizer = optimizer(c, model);
        return new RunSetup(c, train, val, test, tabular, imageScale, spec, head, model, optimizer);
    }

    /** {mean, population std} of the first {@code rows} images' pixels. */
    static float[] pixelScale(Tensor x, int rows) {
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
        return new float[] {(float) mean, (float) Math.sqrt(ss / n)};
    }

    static TensorDataset standardize(TensorDataset d, float[] scale) {
        return new TensorDataset(standardize(d.x(), scale), d.y());
    }

    static Tensor standardize(Tensor x, float[] scale) {
        try (org.omomi.tensor.Autograd.Scope ignored = org.omomi.tensor.Autograd.noGrad()) {
            return x.sub(scale[0]).div(scale[1]);
        }
    }

    /** The preprocessing of images, saved as preprocessing.json. */
    Map<String, Object> imagePreprocessingJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.images/1");
        m.put("pixels", "scaled to [0, 1], then (x - mean) / std");
        m.put("mean", (double) imageScale[0]);
        m.put("std", (double) imageScale[1]);
        return m;
    }

    /** The tensors of a weights file, checked against the model so errors name the tensor and file. */
    static Map<String, Tensor> named(Path file, Map<String, Tensor> tensors, Module model) {
        Map<String, Tensor> mine = model.stateDict();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(file + ": no tensor '" + e.getKey() + "' (it has " + tensors.keySet() + ")");
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has shape " + java.util.Arrays.toString(t.shape())
                        + ", the model needs " + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : tensors.keySet()) {
            if (!mine.containsKey(k)) {
                throw new IllegalArgumentException(file + ": tensor '" + k + "' is not in the model (it has " + mine.keySet() + ")");
            }
        }
        return tensors;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static Head head(Map<String, Object> c, Tabular.Task task, int classes) {
        String loss = str(c, "loss");
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
    private static ModelSpec modelSpec(Map<String, Object> c, int inputs, int outputs) throws IOException {
        String model = str(c, "model");
        switch (model) {
            case "logreg":
                return ModelSpec.logisticRegression(inputs, outputs);
            case "cnn":
            case "resnet":
            case "plain": {
                if (inputs != 784) {
                    throw new IllegalArgumentException("--model " + model + " needs 28×28 images (784 inputs), the data has " + inputs);
                }
                int depth = ((Number) c.get("depth")).intValue();
                int width = ((Number) c.getOrDefault("width", (long) ModelSpec.RESNET_WIDTH)).intValue();
                return model.equals("cnn") ? ModelSpec.cnn(outputs) : ModelSpec.resnet(depth, width, outputs, model.equals("resnet"));
            }
            case "mlp": {
                List<Object> hidden = (List<Object>) c.get("hidden");
                int[] h = new int[hidden.size()];
                for (int i = 0; i < h.length; i++) {
                    h[i] = ((Number) hidden.get(i)).intValue();
                }
                return ModelSpec.mlp(inputs, h, str(c, "activation"), outputs);
            }
            default: {
                Path file = Path.of(model);
                if (!model.endsWith(".json") || !Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("unknown model '" + model + "'; built in: logreg, mlp, cnn, resnet, plain; or give a model.json file");
                }
                ModelSpec spec;
                try {
                    spec = ModelSpec.fromJson((Map<String, Object>) Json.parse(Files.readString(file)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
                if (spec.inputs() != inputs || spec.outputs() != outputs) {
                    throw new IllegalArgumentException(file + ": the model takes " + spec.inputs() + " inputs and gives " + spec.outputs()
                            + " outputs; the data needs " + inputs + " and " + outputs);
                }
                return spec;
            }
        }
    }

    private static void attachPenalties(Map<String, Object> c, Module model) {
        double l1 = num(c, "l1");
        double l2 = num(c, "l2");
        model.namedModules().forEach((name, m) -> {
            if (m instanceof Dense) {
                if (l1 > 0) {
                    m.penalize(Penalty.l1((float) l1));
                }
                if (l2 > 0) {
                    m.penalize(Penalty.l2((float) l2));
                }
            }
        });
    }

    private static Optimizer optimizer(Map<String, Object> c, Module model) {
        String name = str(c, "optimizer");
        double lr = num(c, "lr");
        double wd = num(c, "weight_decay");
        Double momentum = c.get("momentum") == null ? null : num(c, "momentum");
        List<Tensor> params = model.parameters();
        switch (name) {
            case "sgd":
                return new Sgd(params, Sgd.Options.lr(lr).withMomentum(momentum == null ? 0 : momentum).withWeightDecay(wd));
            case "momentum":
                return new Sgd(params, Sgd.Options.lr(lr).withMomentum(momentum == null ? 0.9 : momentum).withWeightDecay(wd));
            case "adam":
            case "adamw": {
                Adam.Options o = (name.equals("adam") ? Adam.Options.adam() : Adam.Options.adamW()).withLr(lr).withWeightDecay(wd);
                if (momentum != null) {
                    o = o.withBetas(momentum, o.beta2());
                }
                return new Adam(params, o);
            }
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd, momentum, adam or adamw");
        }
    }

    /** The model description saved as model.json: the layers plus the head. */
    Map<String, Object> modelJson() {
        Map<String, Object> m = new LinkedHashMap<>(spec.toJson());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kind", head.kindName());
        h.put("outputs", (long) head.outputs());
        h.put("loss", str(config, "loss") != null ? str(config, "loss")
                : head.kind() == Head.Kind.MULTICLASS ? "ce" : head.kind() == Head.Kind.BINARY ? "bce" : "mse");
        if (tabular != null && tabular.task() == Tabular.Task.CLASSIFICATION) {
            h.put("classes", new ArrayList<Object>(tabular.classes()));
        } else if (tabular == null) {
            h.put("classes", new ArrayList<Object>(FashionMnist.CLASSES));
        }
        m.put("head", h);
        m.put("input", tabular == null && imageScale == null ? "fashion-mnist images, 784 pixels scaled to [0, 1]" : "preprocessing.json");
        return m;
    }
}
