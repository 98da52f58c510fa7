package org.omomi.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.omomi.data.FashionMnist;
import org.omomi.tour.Experiments;
import org.omomi.tour.Images;
import org.omomi.tour.Setting;
import org.omomi.tour.Text;
import org.omomi.tour.Tour;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi tour}: the article on neural-network weights, computed end to end. */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"Walk through the article on neural-network weights with real computations: a neuron, the ad-click model,",
            "losses, backpropagation, optimizers, initialisation, BatchNorm and residual connections, regularisation, filters and",
            "explanations. Writes DIR/index.html (self-contained, English or Japanese) and DIR/tour.json (every figure's numbers).",
            "Uses Fashion-MNIST when installed, else a built-in synthetic image set. About 3 CPU-minutes; --quick under 1."})
final class TourCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "tour-report", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|ja", description = "Language of the report (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--quick", description = "Smaller experiments: about a minute.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of every experiment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST files (default: Debian's).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Text.Lang language = Text.Lang.named(lang);
        PrintWriter pw = spec.commandLine().getOut();
        Images images = Images.load(dataDir != null ? dataDir : FashionMnist.DEBIAN_DIR, seed);
        if (images.source().equals("synthetic")) {
            pw.println("omomi tour: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist, or --data-dir);"
                    + " using a built-in synthetic image set instead");
        }
        pw.println("omomi tour: images from " + images.source() + (quick ? ", quick mode" : "") + "; writing " + out.toAbsolutePath());
        pw.flush();
        Tour.Result r = Tour.run(new Setting(seed, quick, images, Map.of()), Experiments.all(), out, language, line -> {
            pw.println("  " + line);
            pw.flush();
        });
        pw.println("wrote " + r.index() + " and " + r.json().getFileName() + (r.claimsHold() ? "" : " — some claims did not hold; see the report"));
        pw.flush();
        return 0;
    }
}
