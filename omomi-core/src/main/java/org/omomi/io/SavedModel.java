package org.omomi.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * A trained model as files, and back: what every face of omomi (the CLI's eval, predict and
 * explain, the prediction server, the exporters, Spark) reads and writes.
 *
 * <pre>
 * DIR/model.json           the network ({@link ModelSpec}, its PyTorch twin) and the head
 * DIR/model.safetensors    the weights, by PyTorch state-dict name
 * DIR/preprocessing.json   how raw rows become inputs ({@link Preprocessing}), when there is any
 * DIR/provenance.json      versions, seed, data hashes, options ({@link Provenance})
 * </pre>
 *
 * Each file is written atomically and the weights last, so a reader never sees weights without
 * the description they belong to. Run folders written before provenance was kept open too.
 */
public final class SavedModel {

    private final ModelSpec spec;
    private final Head head;
    private final List<String> classes;
    private final Preprocessing preprocessing;
    private final Provenance provenance;
    private final Map<String, Tensor> weights;

    private SavedModel(ModelSpec spec, Head head, List<String> classes, Preprocessing preprocessing, Provenance provenance,
                       Map<String, Tensor> weights) {
        this.spec = spec;
        this.head = head;
        this.classes = List.copyOf(classes);
        this.preprocessing = preprocessing;
        this.provenance = provenance;
        this.weights = weights;
    }

    /**
     * A model's description and a copy of its current weights. {@code classes} names the classes
     * of a classifier (or is empty); {@code preprocessing} and {@code provenance} may be null.
     */
    public static SavedModel of(ModelSpec spec, Module model, Head head, List<String> classes, Preprocessing preprocessing,
                                Provenance provenance) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> w.put(k, Tensor.of(v.toArray(), v.shape())));
        SavedModel s = new SavedModel(spec, head, classes, preprocessing, provenance, w);
        s.build(); // the weights fit the description
        return s;
    }

    public ModelSpec spec() {
        return spec;
    }

    public Head head() {
        return head;
    }

    /** Class names of a classifier, index by index; empty when unnamed. */
    public List<String> classes() {
        return classes;
    }

    /** How raw rows become inputs, or null (inputs given as tensors). */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Where the model came from, or null for run folders written before it was kept. */
    public Provenance provenance() {
        return provenance;
    }

    /** The weights, by state-dict name (read-only copies). */
    public Map<String, Tensor> weights() {
        return java.util.Collections.unmodifiableMap(weights);
    }

    /** A fresh module with these weights, in evaluation mode. */
    public Module build() {
        Module m = spec.build(new Rng(0));
        m.loadStateDict(weights);
        m.eval();
        return m;
    }

    /** A predictor over a fresh copy of the model, safe to share between threads. */
    public Predictor predictor() {
        return new Predictor(build(), head, classes, preprocessing);
    }

    // ------------------------------------------------------------------ files

    /** model.json's content: the spec's JSON with the head and a note on the input. */
    public Map<String, Object> modelJson() {
        return modelJson(spec, head, classes, preprocessing);
    }

    private static Map<String, Object> modelJson(ModelSpec spec, Head head, List<String> classes, Preprocessing preprocessing) {
        Map<String, Object> m = new LinkedHashMap<>(spec.toJson());
        m.put("head", head.toJson(classes));
        m.put("input", preprocessing == null ? "tensors as the inputs describe" : "preprocessing.json");
        return m;
    }

    /**
     * Writes the description (model.json, preprocessing.json, provenance.json) without weights:
     * what a training run writes before its first step, so a run folder says what it trains.
     */
    public static void writeDescription(Path dir, ModelSpec spec, Head head, List<String> classes, Preprocessing preprocessing,
                                        Provenance provenance) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.writeString(dir.resolve("model.json"), Json.write(modelJson(spec, head, classes, preprocessing)) + "\n");
        if (preprocessing != null) {
            AtomicFile.writeString(dir.resolve("preprocessing.json"), Json.write(preprocessing.toJson()) + "\n");
        }
        if (provenance != null) {
            AtomicFile.writeString(dir.resolve("provenance.json"), Json.write(provenance.toJson()) + "\n");
        }
    }

    /** Writes every file, the weights last. */
    public void save(Path dir) throws IOException {
        writeDescription(dir, spec, head, classes, preprocessing, provenance);
        Safetensors.write(dir.resolve("model.safetensors"), weights,
                Map.of("format", "pt", "omomi", "model.json describes the model; load_state_dict into its 'pytorch' module"));
    }

    /** Whether a folder holds a saved model (model.json and model.safetensors). */
    public static boolean isSavedModel(Path dir) {
        return Files.isRegularFile(dir.resolve("model.json")) && Files.isRegularFile(dir.resolve("model.safetensors"));
    }

    /** Reads a saved model; errors name the file and what is wrong. */
    @SuppressWarnings("unchecked")
    public static SavedModel open(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        Path weightsFile = dir.resolve("model.safetensors");
        if (!isSavedModel(dir)) {
            throw new IllegalArgumentException(dir + ": not a finished run folder (needs model.json and model.safetensors)");
        }
        ModelSpec spec;
        Head head;
        List<String> classes;
        Map<String, Object> m = Json.readObject(modelJson);
        try {
            spec = ModelSpec.fromJson(m);
            head = Head.fromJson(JsonFields.object(m, "head"));
            classes = Head.classesOf((Map<String, Object>) m.get("head"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modelJson + ": " + e.getMessage(), e);
        }
        Preprocessing pre = null;
        Path preFile = dir.resolve("preprocessing.json");
        if (Files.isRegularFile(preFile)) {
            Map<String, Object> p = Json.readObject(preFile);
            try {
                pre = Preprocessing.fromJson(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(preFile + ": " + e.getMessage(), e);
            }
        } else if (spec.isSequential() && spec.inputWidth() == 784 && "fashion-mnist".equals(String.valueOf(configData(dir)))) {
            pre = ImageScaling.none(new int[] {1, 28, 28}); // image runs without standardization wrote no preprocessing
        }
        Provenance prov = null;
        Path provFile = dir.resolve("provenance.json");
        if (Files.isRegularFile(provFile)) {
            Map<String, Object> p = Json.readObject(provFile);
            try {
                prov = Provenance.fromJson(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(provFile + ": " + e.getMessage(), e);
            }
        }
        if (pre != null) {
            checkPreprocessing(preFile, pre, modelJson, spec);
        }
        Map<String, Tensor> weights = Safetensors.read(weightsFile).tensors();
        // Building allocates every parameter model.json declares: compare the claim with what the
        // weights file holds first, so a description of a billion-parameter layer costs nothing.
        long held = 0;
        for (Tensor t : weights.values()) {
            held += t.numel();
        }
        long needed = spec.leastParameters();
        if (needed > held) {
            throw new IllegalArgumentException(modelJson + ": the model has at least " + needed + " parameters, but "
                    + weightsFile.getFileName() + " holds " + held + " values");
        }
        SavedModel s = new SavedModel(spec, head, classes, pre, prov, new LinkedHashMap<>(weights));
        Module built;
        try {
            built = spec.build(new Rng(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modelJson + ": " + e.getMessage(), e);
        }
        checkWeights(weightsFile, weights, built);
        // Weights of the right shapes can still describe layers that do not chain (a model.json
        // edited by hand, a layer's type changed): one example of zeros finds that here, naming
        // the file, instead of the first prediction failing without it.
        built.eval();
        try (org.omomi.tensor.Autograd.Scope ignored = org.omomi.tensor.Autograd.noGrad()) {
            built.call(spec.zeroExample());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modelJson + ": the model's layers do not fit together on one example: " + e.getMessage(), e);
        }
        return s;
    }

    /**
     * That the inputs the preprocessing makes (from no rows) have the names and shapes the model
     * takes, so a mismatch is reported here, naming both files, rather than by a layer at the first
     * prediction.
     */
    private static void checkPreprocessing(Path preFile, Preprocessing pre, Path modelJson, ModelSpec spec) {
        org.omomi.tensor.Inputs made;
        try {
            made = pre.encode(new org.omomi.data.Csv.Table(preFile, pre.fields(), List.of(), new int[0]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(preFile + ": " + e.getMessage(), e);
        }
        for (ModelSpec.InputSpec in : spec.inputs()) {
            if (!made.has(in.name())) {
                throw new IllegalArgumentException(preFile + ": makes no input '" + in.name() + "', which " + modelJson.getFileName()
                        + " takes (it makes " + made.names() + ")");
            }
            int[] shape = made.isIds(in.name()) ? made.ids(in.name()).shape() : made.tensor(in.name()).shape();
            int[] wanted = new int[in.shape().size() + 1];
            for (int i = 0; i < in.shape().size(); i++) {
                wanted[i + 1] = in.shape().get(i);
            }
            if (!Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), Arrays.copyOfRange(wanted, 1, wanted.length))
                    || made.isIds(in.name()) != in.ids()) {
                throw new IllegalArgumentException(preFile + ": makes input '" + in.name() + "' of " + (made.isIds(in.name()) ? "ids" : "floats")
                        + " " + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)) + " per row, but " + modelJson.getFileName()
                        + " takes " + (in.ids() ? "ids" : "floats") + " " + in.shape());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object configData(Path dir) throws IOException {
        Path c = dir.resolve("config.json");
        if (!Files.isRegularFile(c)) {
            return null;
        }
        Object parsed = Json.read(c);
        return parsed instanceof Map ? ((Map<String, Object>) parsed).get("data") : null;
    }

    /** The tensors of a weights file checked against a model, so errors name the tensor and file. */
    public static Map<String, Tensor> checkWeights(Path file, Map<String, Tensor> tensors, Module model) {
        Map<String, Tensor> mine = model.stateDict();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(file + ": no tensor '" + e.getKey() + "' (it has " + tensors.keySet() + ")");
            }
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + ", the model needs " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : tensors.keySet()) {
            if (!mine.containsKey(k)) {
                throw new IllegalArgumentException(file + ": tensor '" + k + "' is not in the model (it has " + mine.keySet() + ")");
            }
        }
        return tensors;
    }
}
