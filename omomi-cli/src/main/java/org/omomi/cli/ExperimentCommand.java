package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.FashionMnist;
import org.omomi.tour.Experiment;
import org.omomi.tour.Experiments;
import org.omomi.tour.Images;
import org.omomi.tour.Part;
import org.omomi.tour.Setting;
import org.omomi.tour.Text;
import org.omomi.tour.Tour;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code omomi experiment NAME}: one part of the tour alone. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run one part of the tour alone and write its page (DIR/index.html) and numbers (DIR/tour.json).",
            "Experiments: neuron, ad-click, losses, gradient-check, optimizer-paths, optimizers, init-histograms, init-training,",
            "batchnorm, residual, regularization, l1-sparsity, filters, explain; the applications: ctr, recommend, segment.",
            "An experiment's own sizes are flags such as --steps 50 or --rows 2000 (docs/tour.md lists them)."})
final class ExperimentCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The experiment.")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: omomi-experiment-NAME).")
    Path out;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|ja", description = "Language of the page (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--quick", description = "The tour's quick sizes.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST files (default: Debian's).")
    Path dataDir;

    @Unmatched
    List<String> rest;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Experiment e = Experiments.named(name);
        Map<String, String> options = new LinkedHashMap<>();
        List<String> flags = rest == null ? List.of() : rest;
        for (int i = 0; i < flags.size(); i++) {
            String f = flags.get(i);
            if (!f.startsWith("--") || f.length() < 3) {
                throw new IllegalArgumentException("experiment " + name + ": unexpected argument '" + f + "'");
            }
            String key;
            String value;
            int eq = f.indexOf('=');
            if (eq > 0) {
                key = f.substring(2, eq);
                value = f.substring(eq + 1);
            } else {
                if (i + 1 >= flags.size()) {
                    throw new IllegalArgumentException("experiment " + name + ": " + f + " needs a value");
                }
                key = f.substring(2);
                value = flags.get(++i);
            }
            if (!e.flags().contains(key)) {
                throw new IllegalArgumentException("experiment " + name + ": unknown flag --" + key
                        + (e.flags().isEmpty() ? "; it has no flags of its own" : "; its flags: --" + String.join(", --", e.flags())));
            }
            options.put(key, value);
        }
        Text.Lang language = Text.Lang.named(lang);
        Images images = Images.load(dataDir != null ? dataDir : FashionMnist.DEBIAN_DIR, seed);
        if (images.source().equals("synthetic")) {
            spec.commandLine().getOut().println("omomi experiment: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist, or --data-dir);"
                    + " using a built-in synthetic image set instead");
        }
        Path dir = out != null ? out : Path.of("omomi-experiment-" + name);
        PrintWriter pw = spec.commandLine().getOut();
        Tour.Result r = Tour.run(new Setting(seed, quick, images, options), List.of(e), dir, language, line -> { });
        Part p = r.parts().get(0);
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Claim c) {
                pw.println((c.holds() ? "✓ " : "✗ ") + c.text().in(language) + " (" + c.evidence() + ")");
            }
        }
        pw.printf("wrote %s and %s (%.1f s)%n", r.index(), r.json().getFileName(), r.seconds().get(name));
        pw.flush();
        return 0;
    }
}
