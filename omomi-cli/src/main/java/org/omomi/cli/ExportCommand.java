package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.omomi.io.Exporter;
import org.omomi.io.SavedModel;
import org.omomi.nn.ModelSpec.InputSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi export}: a run folder's model in another framework's format (ONNX). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained model in another format: ONNX (opset 17), for ONNX Runtime in any language,",
            "Netron and phones. The file takes the model's inputs with a free batch size (images as pixels in [0, 1],",
            "tables as the CSV's numbers: the standardization is in the graph) and gives 'logits' and 'probabilities'",
            "('output' for regression). docs/onnx.md has the layer mapping and the metadata."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi train' or 'omomi import'.")
    Path run;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "The file format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (default: RUN_DIR/model.onnx).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Exporter exporter = Exporter.forFormat(format);
        SavedModel saved = SavedModel.open(run);
        Path target = (out != null ? out : run.resolve("model" + exporter.extension())).toAbsolutePath();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new NoSuchFileException(String.valueOf(out), null, "its folder does not exist");
        }
        exporter.export(saved, target);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "wrote %s (%s, %,d bytes)%n", out != null ? out : target, exporter.format(), Files.size(target));
        for (InputSpec in : saved.spec().inputs()) {
            pw.printf(Locale.ROOT, "  input %s: %s [batch%s]%n", in.name(), in.ids() ? "int64 ids" : "float32",
                    in.shape().stream().map(d -> ", " + d).reduce("", String::concat));
        }
        pw.flush();
        return 0;
    }
}
