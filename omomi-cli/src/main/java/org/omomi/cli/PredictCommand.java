package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.io.AtomicFile;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi predict}: adds predictions to the rows of a CSV file. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict for every row of a CSV file. The output keeps the input's rows, in order, and adds",
            "a 'prediction' column, plus 'probability' (of the second class) for two classes or 'prob_<class>' per class.",
            "Models trained on Fashion-MNIST read 784 pixel columns scaled to [0, 1]."})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi train'.")
    Path run;

    @Option(names = "--input", required = true, paramLabel = "FILE.csv", description = "Rows to predict for.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE.csv", description = "Where to write the rows with predictions.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SavedModel saved = SavedModel.open(run);
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString());
        }
        Path target = output.toAbsolutePath();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new NoSuchFileException(output.toString(), null, "its folder does not exist");
        }
        Csv.Table table = Csv.read(input);
        Predictor predictor = saved.predictor();
        Predictor.Prediction p = predictor.predict(table);
        List<String> header = new ArrayList<>(table.header());
        header.add("prediction");
        header.addAll(predictor.probabilityColumns());
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < table.rows().size(); i++) {
            List<String> row = new ArrayList<>(List.of(table.rows().get(i)));
            row.add(predictor.label(p, i));
            row.addAll(predictor.probabilityValues(p, i));
            rows.add(row.toArray(new String[0]));
        }
        AtomicFile.writeString(target, Csv.format(header, rows));
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("wrote %d predictions to %s%n", rows.size(), output);
        pw.flush();
        return 0;
    }
}
