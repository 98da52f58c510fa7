package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.FashionMnist;
import org.omomi.explain.InspectReport;
import org.omomi.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omomi inspect}: the HTML report of a run. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Write a self-contained HTML report of a trained run (RUN_DIR/report/index.html, PNG files beside it):",
            "summary, parameter table, loss and metric curves, weight histograms and percentile bands, gradient norms,",
            "update/weight ratios, dead ReLUs, first-layer filters, feature maps, and explanations of test examples",
            "(Grad-CAM and Integrated Gradients for one image per class; mean |IG| per column for CSV models)."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by 'omomi train'.")
    Path run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report (default: RUN_DIR/report).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST files (default: the run's).")
    String dataDir;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        RunFolder r = RunFolder.open(run);
        Map<String, Object> metrics = new LinkedHashMap<>();
        Path m = run.resolve("metrics.json");
        if (Files.isRegularFile(m)) {
            metrics.putAll((Map<String, Object>) Json.parse(Files.readString(m)));
        }
        InspectReport.Images images = null;
        InspectReport.Rows rows = null;
        if (r.application() != null) {
            // A click model's or recommender's inputs are ids: its application's own command explains it.
        } else if (r.tabular() == null) {
            Path dir = RunData.fashionDir(r, dataDir);
            if (FashionMnist.available(dir)) {
                images = RunData.testImages(r, dataDir);
            }
        } else {
            rows = RunData.testRows(r);
        }
        Path target = out != null ? out : run.resolve("report");
        Path index = InspectReport.write(new InspectReport.Run(run, r.model(), r.spec().name(), r.config(), metrics, r.classes(), images, rows), target);
        PrintWriter pw = spec.commandLine().getOut();
        ExplainCommand.warnIfNotConverged(r, pw);
        pw.println("wrote " + index + (r.application() != null ? " (" + r.application() + ")"
                : images == null && r.tabular() == null ? " (no Fashion-MNIST files found: no explanations)" : ""));
        pw.flush();
        return 0;
    }
}
