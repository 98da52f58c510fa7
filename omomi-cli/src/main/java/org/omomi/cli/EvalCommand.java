package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.data.Dataset;
import org.omomi.data.FashionMnist;
import org.omomi.io.Json;
import org.omomi.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi eval}: metrics of a trained model on a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model: print its metrics on a data set as one JSON object.",
            "Without --data, the run's own test set (as it was held out in training)."})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi train'.")
    Path run;

    @Option(names = "--data", paramLabel = "fashion-mnist|FILE.csv",
            description = "fashion-mnist (its test split) or a CSV file with the training columns and the target.")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST files.")
    String dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunFolder r = RunFolder.open(run);
        Dataset ds;
        String what;
        if (data == null) {
            var setup = r.setup();
            if (setup.test() == null) {
                throw new IllegalArgumentException(run + ": the run held out no test set; pass --data");
            }
            ds = setup.test();
            what = "the run's test set";
        } else if (data.equals("fashion-mnist")) {
            if (r.tabular() != null) {
                throw new IllegalArgumentException(run + ": this model was trained on a CSV file, not on Fashion-MNIST");
            }
            var images = FashionMnist.test(Path.of(dataDir != null ? dataDir : FashionMnist.DEBIAN_DIR.toString()));
            ds = new org.omomi.data.TensorDataset(r.prepareImages(images.x()), images.y());
            what = "Fashion-MNIST test";
        } else {
            if (r.tabular() == null) {
                throw new IllegalArgumentException(run + ": this model was trained on images; evaluate it with --data fashion-mnist");
            }
            Path file = Path.of(data);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            ds = r.tabular().dataset(Csv.read(file));
            what = file.toString();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", what);
        out.put("examples", (long) ds.size());
        out.putAll(Trainer.evaluate(r.model(), r.head(), ds));
        PrintWriter pw = spec.commandLine().getOut();
        pw.println(Json.write(out));
        pw.flush();
        return 0;
    }
}
