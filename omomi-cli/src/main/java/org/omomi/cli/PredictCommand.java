package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.data.TensorDataset;
import org.omomi.io.AtomicFile;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Trainer;
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
        RunFolder r = RunFolder.open(run);
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString());
        }
        Csv.Table table = Csv.read(input);
        Tensor x;
        if (r.tabular() != null) {
            x = r.tabular().features(table);
        } else {
            if (table.header().size() != 784) {
                throw new IllegalArgumentException(input + ": " + table.header().size() + " columns; an image model needs 784 pixel columns");
            }
            float[] v = new float[table.rows().size() * 784];
            for (int i = 0; i < table.rows().size(); i++) {
                String[] row = table.rows().get(i);
                for (int j = 0; j < 784; j++) {
                    try {
                        v[i * 784 + j] = Float.parseFloat(row[j].strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(input + " line " + table.lines()[i] + ", column '" + table.header().get(j)
                                + "': '" + row[j] + "' is not a number");
                    }
                }
            }
            x = r.prepareImages(Tensor.wrap(v, table.rows().size(), 784));
        }
        Tensor outputs = Trainer.predictAll(r.model(), new TensorDataset(x, Tensor.zeros(x.size(0))))[0];
        Head head = r.head();
        float[] predictions = head.predictions(outputs).toArray();
        Tensor probabilities = head.probabilities(outputs);
        List<String> header = new ArrayList<>(table.header());
        header.add("prediction");
        List<String> classes = r.classes();
        if (head.kind() == Head.Kind.BINARY) {
            header.add("probability");
        } else if (head.kind() == Head.Kind.MULTICLASS) {
            for (String c : classes) {
                header.add("prob_" + c);
            }
        }
        float[] probs = probabilities == null ? null : probabilities.toArray();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < table.rows().size(); i++) {
            List<String> row = new ArrayList<>(List.of(table.rows().get(i)));
            if (head.kind() == Head.Kind.REGRESSION) {
                row.add(Float.toString(predictions[i]));
            } else {
                row.add(classes.isEmpty() ? Integer.toString((int) predictions[i]) : classes.get((int) predictions[i]));
                if (head.kind() == Head.Kind.BINARY) {
                    row.add(String.format(Locale.ROOT, "%.6f", probs[i]));
                } else {
                    for (int c = 0; c < classes.size(); c++) {
                        row.add(String.format(Locale.ROOT, "%.6f", probs[i * classes.size() + c]));
                    }
                }
            }
            rows.add(row.toArray(new String[0]));
        }
        Path target = output.toAbsolutePath();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new NoSuchFileException(output.toString(), null, "its folder does not exist");
        }
        AtomicFile.writeString(target, Csv.format(header, rows));
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("wrote %d predictions to %s%n", rows.size(), output);
        pw.flush();
        return 0;
    }
}
