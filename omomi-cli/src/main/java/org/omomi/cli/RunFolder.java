package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.omomi.data.Tabular;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.loss.HuberLoss;
import org.omomi.loss.L1Loss;
import org.omomi.loss.MseLoss;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Sequential;
import org.omomi.tensor.Rng;
import org.omomi.train.Head;

/** A trained model read back from a run folder: its description, weights, head and preprocessing. */
record RunFolder(Path dir, Map<String, Object> config, ModelSpec spec, Head head, List<String> classes, Sequential model,
                 Tabular tabular, float[] imageScale) {

    /** Images as the model was trained on them (standardized when the run did). */
    org.omomi.tensor.Tensor prepareImages(org.omomi.tensor.Tensor x) {
        return imageScale == null ? x : RunSetup.standardize(x, imageScale);
    }

    @SuppressWarnings("unchecked")
    static RunFolder open(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(modelJson) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(dir + ": not a finished run folder (needs model.json and model.safetensors)");
        }
        Map<String, Object> config = TrainCommand.readConfig(dir.resolve("config.json"));
        Map<String, Object> m;
        ModelSpec spec;
        try {
            m = (Map<String, Object>) Json.parse(Files.readString(modelJson));
            spec = ModelSpec.fromJson(m);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(modelJson + ": " + e.getMessage());
        }
        Map<String, Object> h = (Map<String, Object>) m.get("head");
        String kind = String.valueOf(h.get("kind"));
        String loss = String.valueOf(h.get("loss"));
        int outputs = ((Number) h.get("outputs")).intValue();
        Head head;
        switch (kind) {
            case "multiclass": head = Head.multiclass(outputs); break;
            case "binary": head = Head.binary(); break;
            case "regression":
                head = Head.regression(outputs, loss.equals("l1") ? new L1Loss() : loss.equals("huber") ? new HuberLoss() : new MseLoss());
                break;
            default: throw new IllegalArgumentException(modelJson + ": unknown head kind '" + kind + "'");
        }
        List<String> classes = h.get("classes") == null ? List.of() : ((List<Object>) h.get("classes")).stream().map(String::valueOf).toList();
        Sequential model = spec.build(new Rng(0));
        model.loadStateDict(RunSetup.named(weights, Safetensors.read(weights).tensors(), model));
        model.eval();
        Tabular tabular = null;
        float[] imageScale = null;
        Path pre = dir.resolve("preprocessing.json");
        if (Files.isRegularFile(pre)) {
            Map<String, Object> p = (Map<String, Object>) Json.parse(Files.readString(pre));
            if ("omomi.images/1".equals(p.get("format"))) {
                imageScale = new float[] {((Number) p.get("mean")).floatValue(), ((Number) p.get("std")).floatValue()};
            } else {
                tabular = Tabular.fromJson(p);
            }
        }
        return new RunFolder(dir, config, spec, head, classes, model, tabular, imageScale);
    }
}
