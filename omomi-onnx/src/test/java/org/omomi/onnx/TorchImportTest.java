package org.omomi.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.io.Json;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.io.Safetensors;
import org.omomi.nn.ModelSpec;
import org.omomi.onnx.ImportReport.Status;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * PyTorch state dicts into omomi. The fixtures (conformance/torch_import_fixtures.py) are
 * random-init PyTorch twins of omomi's MLP, CNN and ResNet-8 with non-trivial batch-norm
 * statistics, saved by PyTorch with its own dtypes, and PyTorch's outputs on 7 inputs.
 */
class TorchImportTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(TorchImportTest.class.getResource("/torch/" + name + "/model.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(file));
    }

    /** Rows of a JSON list of lists as a [rows, columns] tensor. */
    static Tensor matrix(Object rows) {
        List<?> r = (List<?>) rows;
        float[][] m = new float[r.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> row = (List<?>) r.get(i);
            m[i] = new float[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = ((Number) row.get(j)).floatValue();
            }
        }
        return Tensor.of(m);
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("mlp", ModelSpec.mlp(12, new int[] {10, 6}, "relu", 4), 6),
                Arguments.of("cnn", ModelSpec.cnn(new int[] {1, 4, 4}, 3), 8),
                Arguments.of("resnet8", ModelSpec.resnet(8, 4, new int[] {1, 8, 8}, 3, true), 56));
    }

    /** PyTorch's weights give omomi PyTorch's outputs: within 1e-5, the same class for every row. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void pytorchWeightsGiveIdenticalPredictions(String name, ModelSpec builtIn, int keys) throws IOException {
        Path f = fixture(name);
        ModelSpec spec = ModelSpec.fromJson(json(f.resolve("model.json")));
        assertEquals(builtIn, spec, "the fixture is omomi's built-in " + name);
        TorchImport.Imported imported = TorchImport.load(f.resolve("model.safetensors"), spec, Head.multiclass(spec.outputs()), List.of(), null);
        ImportReport report = imported.report();
        assertTrue(report.ok(), report.text());
        assertEquals(keys, report.names(Status.LOADED).size(), report.text());
        assertEquals(report.keys().size(), report.names(Status.LOADED).size(), "every key loaded, none defaulted");

        Map<String, Object> io = json(f.resolve("io.json"));
        Tensor x = matrix(io.get("inputs"));
        Tensor torch = matrix(io.get("outputs"));
        Predictor.Prediction p = imported.model().predictor().predict(Inputs.of(x));
        OnnxRuntimeCheck.assertClose(torch, p.outputs(), name + ": omomi's outputs against PyTorch's");
        assertArrayEquals(torch.argmax(1, false).toArray(), p.predicted(), name + ": the same predicted classes");

        // The run folder opens, and predicts bit for bit as the imported model.
        Path run = dir.resolve(name);
        imported.model().save(run);
        Predictor.Prediction reopened = SavedModel.open(run).predictor().predict(Inputs.of(x));
        assertArrayEquals(p.outputs().toArray(), reopened.outputs().toArray());
    }

    @Test
    void eachKeyIsReportedWithTheOmomiLayerItWentTo() throws IOException {
        Path f = fixture("resnet8");
        ImportReport r = TorchImport.check(f.resolve("model.safetensors"), ModelSpec.fromJson(json(f.resolve("model.json"))));
        Map<String, ImportReport.Key> byName = new LinkedHashMap<>();
        r.keys().forEach(k -> byName.put(k.name(), k));
        assertEquals("layer 1 (conv2d): Conv2d(1 → 4, 3×3, padding 1, no bias)", byName.get("1.weight").layer());
        assertEquals("layer 6 (basic_block) › bn1: BatchNorm2d(8)", byName.get("6.bn1.running_var").layer());
        assertEquals("layer 6 (basic_block) › downsample.0: Conv2d(4 → 8, 1×1, stride 2, no bias)", byName.get("6.downsample.0.weight").layer());
        assertEquals("layer 9 (dense): Dense(16 → 3)", byName.get("9.bias").layer());
        assertEquals("I64", byName.get("2.num_batches_tracked").dtype(), "PyTorch's counter is int64");
        assertEquals("F32", byName.get("2.running_mean").dtype());
        String text = r.text();
        assertTrue(text.contains("6.bn1.running_var"), text);
        assertTrue(text.endsWith("56 tensors loaded\n"), text);
    }

    /** A state dict that does not fit: each problem is named, and nothing is loaded. */
    @Test
    void missingUnexpectedAndMisshapedKeysAreReportedAndNothingIsLoaded() throws IOException {
        Path f = fixture("mlp");
        ModelSpec spec = ModelSpec.fromJson(json(f.resolve("model.json")));
        Map<String, Tensor> state = new LinkedHashMap<>(Safetensors.read(f.resolve("model.safetensors")).tensors());
        state.remove("2.bias");
        state.put("4.weight", Tensor.zeros(4, 5)); // [4, 6] in the model
        state.put("fc9.weight", Tensor.zeros(2, 2));
        Path bad = dir.resolve("bad.safetensors");
        Safetensors.write(bad, state, Map.of());
        TorchImport.Imported imported = TorchImport.load(bad, spec, Head.multiclass(4), List.of(), null);
        ImportReport r = imported.report();
        assertFalse(r.ok());
        assertNull(imported.model(), "nothing loaded");
        assertEquals(List.of("2.bias"), r.names(Status.MISSING));
        assertEquals(List.of("fc9.weight"), r.names(Status.UNEXPECTED));
        assertEquals(List.of("4.weight"), r.names(Status.MISSHAPED));
        assertEquals(bad + ": 4 tensors loaded, 1 missing [2.bias], 1 unexpected [fc9.weight], 1 mis-shaped [4.weight]", r.summary());
        assertTrue(r.text().contains("[4, 5] (needs [4, 6])"), r.text());
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) Json.parse(Json.write(r.toJson()));
        assertEquals(false, j.get("ok"));
        assertEquals(List.of("2.bias"), j.get("missing"));
        assertEquals(List.of("4.weight"), j.get("misshaped"));
    }

    /** DataParallel's "module." prefix comes off; a missing batch-norm counter stays 0, as in PyTorch. */
    @Test
    void wrapperPrefixesAndOldCheckpointsWithoutTheCounterLoad() throws IOException {
        Path f = fixture("resnet8");
        ModelSpec spec = ModelSpec.fromJson(json(f.resolve("model.json")));
        Map<String, Tensor> state = new LinkedHashMap<>();
        Safetensors.read(f.resolve("model.safetensors")).tensors().forEach((k, v) -> {
            if (!k.endsWith("num_batches_tracked")) {
                state.put("module." + k, v);
            }
        });
        Path wrapped = dir.resolve("wrapped.safetensors");
        Safetensors.write(wrapped, state, Map.of());
        TorchImport.Imported imported = TorchImport.load(wrapped, spec, Head.multiclass(3), List.of(), null);
        assertTrue(imported.report().ok(), imported.report().text());
        assertEquals("module.", imported.report().prefix());
        assertEquals(9, imported.report().names(Status.DEFAULTED).size(), "one counter per batch norm: the stem, 2 + 3 + 3 in the blocks");
        assertTrue(imported.report().text().contains("(the prefix 'module.' taken off every key)"));
        Map<String, Object> io = json(f.resolve("io.json"));
        OnnxRuntimeCheck.assertClose(matrix(io.get("outputs")), imported.model().predictor().predict(Inputs.of(matrix(io.get("inputs")))).outputs(),
                "wrapped resnet8");
    }

    /** The imported model exports to ONNX like any other: PyTorch's weights through omomi to ONNX Runtime. */
    @Test
    void anImportedModelExportsToOnnx() throws Exception {
        Path f = fixture("cnn");
        ModelSpec spec = ModelSpec.fromJson(json(f.resolve("model.json")));
        SavedModel saved = TorchImport.load(f.resolve("model.safetensors"), spec, Head.multiclass(3), List.of(), null).model();
        OnnxRuntimeCheck.assertParity(saved, 3, 1f, null);
        try (var s = OnnxRuntimeCheck.session(new OnnxExport().toBytes(saved))) {
            Map<String, Object> io = json(f.resolve("io.json"));
            Tensor logits = OnnxRuntimeCheck.run(s, Inputs.of(matrix(io.get("inputs")))).get("logits");
            OnnxRuntimeCheck.assertClose(matrix(io.get("outputs")), logits, "ONNX Runtime against PyTorch");
        }
    }
}
