package org.omomi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.Preprocessing;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.loss.MseLoss;
import org.omomi.nn.ModelSpec;
import org.omomi.onnx.TorchImport;
import org.omomi.train.Head;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi import}: PyTorch weights (a safetensors state dict) into a run folder. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Load a PyTorch state dict saved as safetensors into the omomi model a model.json describes, and write",
            "a run folder that 'omomi predict', 'inspect', 'explain' and 'export' read. Keys match by name and shape (the",
            "model.json's 'pytorch' field is the PyTorch module with the same keys); every key is reported with the omomi",
            "layer it went to, and a missing, unexpected or mis-shaped key stops the import with nothing written."})
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "FILE.safetensors", description = "The state dict, saved from PyTorch.")
    Path from;

    @Option(names = "--model", required = true, paramLabel = "model.json", description = "The omomi model description (format omomi.model/2).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "The run folder to create.")
    Path out;

    @Option(names = "--head", paramLabel = "multiclass|binary|regression",
            description = "What the outputs are, when model.json has no 'head' (multiclass: one logit per class).")
    String head;

    @Option(names = "--classes", split = ",", paramLabel = "NAME,...", description = "Class names, in output order.")
    List<String> classes;

    @Option(names = "--preprocessing", paramLabel = "preprocessing.json",
            description = "How raw rows become inputs (a run folder's preprocessing.json), for 'omomi predict' on CSV files.")
    Path preprocessing;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        for (Path p : preprocessing == null ? List.of(from, model) : List.of(from, model, preprocessing)) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString());
            }
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new IllegalArgumentException(out + " already exists and is not an empty folder; choose another --out");
        }
        Map<String, Object> json = readObject(model);
        ModelSpec modelSpec;
        Head h;
        List<String> names;
        Preprocessing pre = null;
        try {
            modelSpec = ModelSpec.fromJson(json);
            Map<String, Object> given = json.get("head") instanceof Map ? (Map<String, Object>) json.get("head") : null;
            h = head != null ? head(head, modelSpec.outputs()) : given != null ? Head.fromJson(given) : null;
            names = classes != null ? classes : given != null && head == null ? Head.classesOf(given) : List.of();
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(model + ": " + e.getMessage());
        }
        if (h == null) {
            throw new IllegalArgumentException(model + " has no 'head'; give --head multiclass, binary or regression");
        }
        if (h.outputs() != modelSpec.outputs()) {
            throw new IllegalArgumentException(model + ": the head has " + h.outputs() + " outputs, the model " + modelSpec.outputs());
        }
        int classCount = h.kind() == Head.Kind.BINARY ? 2 : h.outputs(); // a binary head: one logit, two classes
        if (!names.isEmpty() && (h.kind() == Head.Kind.REGRESSION || names.size() != classCount)) {
            throw new IllegalArgumentException((classes != null ? "--classes" : model + ":") + " names " + names.size() + " classes; a "
                    + h.kindName() + " head " + (h.kind() == Head.Kind.REGRESSION ? "has none" : "has " + classCount));
        }
        if (preprocessing != null) {
            try {
                pre = Preprocessing.fromJson(readObject(preprocessing));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new IllegalArgumentException(preprocessing + ": " + e.getMessage());
            }
        }
        TorchImport.Imported imported = TorchImport.load(from, modelSpec, h, names, pre);
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(imported.report().text());
        pw.flush();
        if (!imported.report().ok()) {
            throw new IllegalArgumentException(imported.report().summary() + "; nothing written");
        }
        imported.model().save(out);
        AtomicFile.writeString(out.resolve("import.json"), Json.write(imported.report().toJson()) + "\n");
        pw.printf("wrote %s; predict with: omomi predict %s --input ROWS.csv --output PREDICTIONS.csv%n", out, out);
        pw.flush();
        return 0;
    }

    private static Head head(String kind, int outputs) {
        switch (kind) {
            case "multiclass": return Head.multiclass(outputs);
            case "binary":
                if (outputs != 1) {
                    throw new IllegalArgumentException("--head binary needs one output, the model has " + outputs);
                }
                return Head.binary();
            case "regression": return Head.regression(outputs, new MseLoss());
            default: throw new IllegalArgumentException("--head must be multiclass, binary or regression, got '" + kind + "'");
        }
    }

    private static Map<String, Object> readObject(Path file) throws IOException {
        return Json.readObject(file); // errors name the file, text that is not UTF-8 included
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
