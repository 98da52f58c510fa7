package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.omomi.ctr.ClickFeatures;
import org.omomi.ctr.CtrRun;
import org.omomi.data.ImageScaling;
import org.omomi.io.Json;
import org.omomi.data.Tabular;
import org.omomi.io.SavedModel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.RunSetup;
import org.omomi.train.TrainConfig;

/** A trained run folder as the commands read it: its {@link SavedModel}, the model built from it, and its configuration. */
record RunFolder(Path dir, Map<String, Object> config, SavedModel saved, Module model) {

    static RunFolder open(Path dir) throws IOException {
        SavedModel saved = SavedModel.open(dir);
        Map<String, Object> config = Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve(CtrRun.CONFIG))
                ? TrainCommand.readConfig(dir.resolve("config.json")) : ctrConfig(dir);
        return new RunFolder(dir, config, saved, saved.build());
    }

    /** A click-model run's configuration ({@code omomi ctr train}'s ctr.json), as the report shows it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ctrConfig(Path dir) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(dir.resolve(CtrRun.CONFIG)));
    }

    /** Whether this is a click-model run (its inputs are ids and numbers, not images or table columns). */
    boolean clicks() {
        return saved.preprocessing() instanceof ClickFeatures;
    }

    ModelSpec spec() {
        return saved.spec();
    }

    Head head() {
        return saved.head();
    }

    List<String> classes() {
        return saved.classes();
    }

    /** The CSV preprocessing, or null for an image model. */
    Tabular tabular() {
        return saved.preprocessing() instanceof Tabular t ? t : null;
    }

    /** {mean, std} of the images' standardization, or null when the pixels stay in [0, 1]. */
    float[] imageScale() {
        if (saved.preprocessing() instanceof ImageScaling s && !(s.mean() == 0f && s.std() == 1f)) {
            return new float[] {s.mean(), s.std()};
        }
        return null;
    }

    /** Images as the model was trained on them (standardized when the run did). */
    Tensor prepareImages(Tensor x) {
        return saved.preprocessing() instanceof ImageScaling s ? s.apply(x) : x;
    }

    /** The run's data, splits and all, rebuilt from its configuration. */
    RunSetup setup() throws IOException {
        return RunSetup.build(TrainConfig.fromJson(config));
    }

    /** Whether the run folder has the given file. */
    boolean has(String file) {
        return Files.isRegularFile(dir.resolve(file));
    }
}
