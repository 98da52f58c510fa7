package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /**
     * The configuration files of the applications' run folders, with the command that explains
     * their models: a run without {@code omomi train}'s config.json is an application's.
     */
    static final Map<String, String> APPLICATIONS = Map.of(
            CtrRun.CONFIG, "a click model: 'omomi ctr explain' explains it",
            "recommend.json", "a recommender: 'omomi recommend top RUN_DIR --user ID --explain' explains it");

    static RunFolder open(Path dir) throws IOException {
        SavedModel saved = SavedModel.open(dir);
        if (Files.isRegularFile(dir.resolve("config.json"))) {
            return new RunFolder(dir, TrainCommand.readConfig(dir.resolve("config.json")), saved, saved.build());
        }
        for (String file : APPLICATIONS.keySet()) {
            if (Files.isRegularFile(dir.resolve(file))) {
                return new RunFolder(dir, applicationConfig(dir.resolve(file)), saved, saved.build());
            }
        }
        return new RunFolder(dir, TrainCommand.readConfig(dir.resolve("config.json")), saved, saved.build()); // says it is missing
    }

    /** An application run's configuration (ctr.json, recommend.json), as the report shows it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationConfig(Path file) throws IOException {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(file));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /**
     * What explains an application run's model ({@link #APPLICATIONS}), or null for a run of
     * {@code omomi train}, whose images or columns {@code inspect} and {@code explain} explain.
     */
    String application() {
        if (has("config.json")) {
            return null;
        }
        for (Map.Entry<String, String> e : APPLICATIONS.entrySet()) {
            if (has(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
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
