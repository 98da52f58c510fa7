package org.omomi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.omomi.data.Csv;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;
import org.omomi.explain.InspectReport;
import org.omomi.tensor.Tensor;

/**
 * The data a trained run is explained on: Fashion-MNIST's test images (as the model sees them and
 * as a person sees them) or the rows of a CSV file prepared as in training.
 */
final class RunData {

    static final int SIDE = 28;

    private RunData() {}

    /** The Fashion-MNIST folder the run used, or the one given. */
    static Path fashionDir(RunFolder r, String dataDir) {
        if (dataDir != null) {
            return Path.of(dataDir);
        }
        Object d = r.config().get("data_dir");
        return d != null ? Path.of(d.toString()) : FashionMnist.DEBIAN_DIR;
    }

    /** The test images for an image model; the IG baseline is a black image (0 before standardization). */
    static InspectReport.Images testImages(RunFolder r, String dataDir) throws IOException {
        TensorDataset test = FashionMnist.test(fashionDir(r, dataDir));
        return images(r, test.x(), test.y());
    }

    static InspectReport.Images images(RunFolder r, Tensor raw, Tensor labels) {
        return new InspectReport.Images(r.prepareImages(raw), raw, labels, SIDE, SIDE, r.prepareImages(Tensor.zeros(1, SIDE * SIDE)));
    }

    /** Rows of a CSV file as model inputs, or the run's own data file when {@code file} is null. */
    static InspectReport.Rows rows(RunFolder r, Path file) throws IOException {
        Path f = file != null ? file : Path.of(String.valueOf(r.config().get("data")));
        if (!Files.isRegularFile(f)) {
            throw new java.nio.file.NoSuchFileException(f.toString(), null, "the CSV file to explain rows of; pass --data");
        }
        Tensor x = r.tabular().features(Csv.read(f));
        return new InspectReport.Rows(x, r.tabular().inputNames(), mean(x), r.tabular().inputFeatures());
    }

    /** The run's held-out test rows for the report, or all rows of its data file. */
    static InspectReport.Rows testRows(RunFolder r) throws IOException {
        var setup = r.setup();
        var ds = setup.test() != null ? setup.test() : setup.val() != null ? setup.val() : setup.train();
        int[] idx = new int[ds.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Tensor x = ds.get(idx).x();
        return new InspectReport.Rows(x, r.tabular().inputNames(), mean(x), r.tabular().inputFeatures());
    }

    /** The mean row: the IG baseline of a CSV model, an average example. */
    static Tensor mean(Tensor x) {
        try (var ignored = org.omomi.tensor.Autograd.noGrad()) {
            return x.mean(0, true).contiguous();
        }
    }
}
