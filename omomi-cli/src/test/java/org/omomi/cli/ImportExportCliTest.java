package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.data.ImageScaling;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.onnx.proto.OnnxProto;
import org.omomi.tensor.Tensor;

/**
 * {@code omomi import} and {@code omomi export}: PyTorch's CNN weights (omomi-onnx's fixture,
 * made by conformance/torch_import_fixtures.py) imported, predicted with {@code omomi predict} as
 * PyTorch predicted them, exported to ONNX; a trained CSV run exported; and the errors.
 */
class ImportExportCliTest {

    /** The PyTorch fixtures of omomi-onnx's tests (Maven runs tests in the module's folder). */
    static final Path TORCH = Path.of("..", "omomi-onnx", "src", "test", "resources", "torch");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Omomi.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(file));
    }

    @Test
    void pytorchWeightsImportedPredictAsPytorchDidAndExportToOnnx() throws IOException {
        Path cnn = TORCH.resolve("cnn");
        Path pre = dir.resolve("preprocessing.json");
        Files.writeString(pre, Json.write(ImageScaling.none(new int[] {1, 4, 4}).toJson()));
        Path runDir = dir.resolve("imported");
        Run imp = run("import", "--from", cnn.resolve("model.safetensors").toString(), "--model", cnn.resolve("model.json").toString(),
                "--preprocessing", pre.toString(), "--classes", "a,b,c", "--out", runDir.toString());
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().contains("layer 1 (conv2d): Conv2d(1 → 32, 3×3, padding 1)"), imp.out());
        assertTrue(imp.out().contains("8 tensors loaded"), imp.out());
        for (String f : List.of("model.json", "model.safetensors", "preprocessing.json", "provenance.json", "import.json")) {
            assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
        }
        assertEquals(true, json(runDir.resolve("import.json")).get("ok"));

        // omomi predict on the fixture's inputs: PyTorch's classes, PyTorch's probabilities.
        Map<String, Object> io = json(cnn.resolve("io.json"));
        List<?> inputs = (List<?>) io.get("inputs");
        List<?> outputs = (List<?>) io.get("outputs");
        List<String> header = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            header.add("p" + p);
        }
        List<String[]> rows = new ArrayList<>();
        for (Object r : inputs) {
            rows.add(((List<?>) r).stream().map(v -> Double.toString(((Number) v).doubleValue())).toArray(String[]::new));
        }
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, Csv.format(header, rows));
        Path predictions = dir.resolve("p.csv");
        Run pred = run("predict", runDir.toString(), "--input", csv.toString(), "--output", predictions.toString());
        assertEquals(0, pred.code(), pred.err());
        Csv.Table got = Csv.read(predictions);
        for (int i = 0; i < outputs.size(); i++) {
            float[] logits = new float[3];
            for (int c = 0; c < 3; c++) {
                logits[c] = ((Number) ((List<?>) outputs.get(i)).get(c)).floatValue();
            }
            float[] probs = Tensor.of(logits, 1, 3).softmax(1).toArray();
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = logits[c] > logits[best] ? c : best;
            }
            String[] row = got.rows().get(i);
            assertEquals(List.of("a", "b", "c").get(best), row[got.column("prediction")], "row " + i);
            for (int c = 0; c < 3; c++) {
                double p = Double.parseDouble(row[got.column("prob_" + "abc".charAt(c))]);
                assertEquals(probs[c], p, 1e-6, "row " + i + ", class " + c); // printed with six decimals
            }
        }

        // And on to ONNX.
        Path onnx = dir.resolve("cnn.onnx");
        Run exp = run("export", runDir.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, exp.code(), exp.err());
        assertTrue(exp.out().startsWith("wrote " + onnx + " (onnx, "), exp.out());
        assertTrue(exp.out().contains("input x: float32 [batch, 16]"), exp.out());
        OnnxProto.Model m = OnnxProto.Model.parseFrom(Files.readAllBytes(onnx));
        assertEquals(17, m.getOpsetImport(0).getVersion());
        assertEquals(List.of("logits", "probabilities"), m.getGraph().getOutputList().stream().map(OnnxProto.ValueInfo::getName).toList());
        Map<String, String> meta = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals("[\"a\",\"b\",\"c\"]", meta.get("omomi.classes"));
        assertTrue(meta.get("omomi.provenance").contains("imported_from"), meta.get("omomi.provenance"));
    }

    @Test
    void aTrainedCsvRunExportsWithItsPreprocessingInTheMetadata() throws IOException {
        Path data = TrainCliTest.clicks(dir.resolve("clicks.csv"));
        Path runDir = dir.resolve("run");
        Run t = run("train", "--model", "mlp", "--hidden", "8", "--data", data.toString(), "--target", "clicked",
                "--epochs", "1", "--batch-size", "64", "--seed", "2", "--out", runDir.toString());
        assertEquals(0, t.code(), t.err());
        Run exp = run("export", runDir.toString());
        assertEquals(0, exp.code(), exp.err());
        OnnxProto.Model m = OnnxProto.Model.parseFrom(Files.readAllBytes(runDir.resolve("model.onnx")));
        Map<String, String> meta = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertTrue(meta.get("omomi.preprocessing").contains("omomi.tabular/1"), meta.toString());
        assertTrue(meta.get("omomi.inputs").contains("the columns age, interest, frequency, device=desktop, device=mobile"), meta.get("omomi.inputs"));
        assertEquals(List.of("Sub", "Div"), m.getGraph().getNodeList().stream().limit(2).map(OnnxProto.Node::getOpType).toList());
    }

    @Test
    void badImportsAndExportsSayWhatAndWhereInOneLine() throws IOException {
        Path mlp = TORCH.resolve("mlp");
        // A state dict that does not fit the model: the report, then one line, and no run folder.
        Map<String, Tensor> state = new LinkedHashMap<>(Safetensors.read(mlp.resolve("model.safetensors")).tensors());
        state.remove("4.bias");
        Path bad = dir.resolve("bad.safetensors");
        Safetensors.write(bad, state, Map.of());
        Path runDir = dir.resolve("never");
        Run r = run("import", "--from", bad.toString(), "--model", mlp.resolve("model.json").toString(), "--out", runDir.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("4.bias") && r.out().contains("missing"), r.out());
        assertOneLine(r, bad + ": 5 tensors loaded, 1 missing [4.bias]; nothing written");
        assertFalse(Files.exists(runDir.resolve("model.safetensors")));

        // A model file without a head needs --head.
        Map<String, Object> spec = json(mlp.resolve("model.json"));
        spec.remove("head");
        Path headless = dir.resolve("headless.json");
        Files.writeString(headless, Json.write(spec));
        Run noHead = run("import", "--from", mlp.resolve("model.safetensors").toString(), "--model", headless.toString(), "--out", runDir.toString());
        assertOneLine(noHead, headless + " has no 'head'; give --head multiclass, binary or regression");
        Run withHead = run("import", "--from", mlp.resolve("model.safetensors").toString(), "--model", headless.toString(),
                "--head", "regression", "--out", runDir.toString());
        assertEquals(0, withHead.code(), withHead.err());
        assertEquals("regression", json(runDir.resolve("model.json")).get("head") instanceof Map<?, ?> h ? h.get("kind") : null);

        Run wrongClasses = run("import", "--from", mlp.resolve("model.safetensors").toString(), "--model", mlp.resolve("model.json").toString(),
                "--classes", "a,b", "--out", dir.resolve("y").toString());
        assertOneLine(wrongClasses, "--classes names 2 classes; a multiclass head has 4");

        Run again = run("import", "--from", mlp.resolve("model.safetensors").toString(), "--model", mlp.resolve("model.json").toString(),
                "--out", runDir.toString());
        assertOneLine(again, runDir + " already exists and is not an empty folder; choose another --out");
        Run missing = run("import", "--from", dir.resolve("nope.safetensors").toString(), "--model", mlp.resolve("model.json").toString(),
                "--out", dir.resolve("x").toString());
        assertOneLine(missing, dir.resolve("nope.safetensors") + ": no such file");

        Run format = run("export", runDir.toString(), "--format", "tflite");
        assertOneLine(format, "no exporter for the format 'tflite'; known: onnx");
        Run notARun = run("export", dir.toString());
        assertOneLine(notARun, dir + ": not a finished run folder (needs model.json and model.safetensors)");
        Run noFolder = run("export", runDir.toString(), "--out", dir.resolve("no/such/m.onnx").toString());
        assertTrue(noFolder.code() == 1 && noFolder.err().contains("its folder does not exist"), noFolder.err());
    }

    private static void assertOneLine(Run r, String message) {
        assertEquals(1, r.code(), r.err());
        assertEquals("omomi: " + message + System.lineSeparator(), r.err());
    }
}
