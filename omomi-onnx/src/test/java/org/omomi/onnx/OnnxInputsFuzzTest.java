package org.omomi.onnx;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.io.Safetensors;
import org.omomi.nn.ModelSpec;
import org.omomi.tensor.Rng;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;
import org.omomi.train.Head;

/**
 * What the ONNX module reads, under seeded mutation ({@link Fuzz}): a run folder's files on their
 * way to {@link OnnxExport}, and the safetensors state dict and model.json {@link TorchImport} loads.
 * Each mutated file is exported or imported, or refused in one line naming the file; never another
 * exception (from the exporter either), a hang or an allocation beyond the input.
 */
class OnnxInputsFuzzTest {

    @TempDir
    static Path dir;

    static final long CASES = Fuzz.cases(1000);

    static final List<String> WORDS = List.of("dense", "conv2d", "relu", "gelu", "sigmoid", "tanh", "softmax", "dropout", "batchnorm1d",
            "layernorm", "flatten", "sequential", "in", "out", "kernel", "stride", "padding", "F32", "F16", "I64", "shape", "data_offsets",
            "0.weight", "0.bias", "outputs", "inputs", "layers", "omomi.model/2", "head", "multiclass");

    @ParameterizedTest(name = "export/{0}")
    @ValueSource(strings = {"model.json", "model.safetensors"})
    void mutatedRunFoldersExportOrAreRefusedInOneLine(String name) throws Exception {
        Path run = dir.resolve("export-" + name);
        ModelSpec spec = ModelSpec.cnn(new int[] {1, 6, 6}, 3);
        SavedModel.of(spec, spec.build(new Rng(1)), Head.multiclass(3), List.of("a", "b", "c"), null, null).save(run);
        Path f = run.resolve(name);
        OnnxExport onnx = new OnnxExport();
        // A model.json whose weights fit but whose layers do not chain opens, and the exporter's probe
        // pass refuses it, saying which layer; it does not know the folder, so no place is required.
        String where = name.equals("model.json") ? null : run.toString();
        Fuzz.run("onnx/export/" + name, List.of(Files.readAllBytes(f)), new Mutator(Fuzz.seed(21), WORDS), CASES, where, in -> {
            Fuzz.write(f, in);
            onnx.toBytes(SavedModel.open(run));
        }).assertClean().assertReachesBoth();
    }

    @ParameterizedTest(name = "import/{0}")
    @ValueSource(strings = {"model.json", "model.safetensors"})
    void mutatedStateDictsAndDescriptionsImportOrAreRefusedInOneLine(String name) throws Exception {
        Path work = Files.createDirectories(dir.resolve("import-" + name.replace('.', '_')));
        ModelSpec spec = ModelSpec.mlp(5, new int[] {4}, "relu", 3);
        Path weights = work.resolve("model.safetensors");
        Map<String, org.omomi.tensor.Tensor> state = spec.build(new Rng(2)).stateDict();
        Map<String, org.omomi.tensor.Tensor> prefixed = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> prefixed.put("module." + k, v)); // as DataParallel saves it
        Safetensors.write(weights, prefixed, Map.of("format", "pt"));
        Path json = work.resolve("model.json");
        Files.writeString(json, Json.write(spec.toJson()));
        Path f = work.resolve(name);
        List<byte[]> valid = new ArrayList<>();
        valid.add(Files.readAllBytes(f));
        Fuzz.run("onnx/import/" + name, valid, new Mutator(Fuzz.seed(21), WORDS), CASES, work.toString(), in -> {
            Fuzz.write(f, in);
            ModelSpec s;
            try {
                s = ModelSpec.fromJson(Json.readObject(json));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(json + ": " + e.getMessage(), e); // as omomi import does
            }
            TorchImport.Imported imported = TorchImport.load(weights, s, Head.multiclass(s.outputs()), List.of(), null);
            imported.report().text();
            imported.report().toJson();
        }).assertClean().assertReachesBoth();
    }
}
