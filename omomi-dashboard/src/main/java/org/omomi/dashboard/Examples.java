package org.omomi.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omomi.data.Csv;
import org.omomi.data.FashionMnist;
import org.omomi.data.TensorDataset;

/**
 * What the explanation viewer picks from: a Fashion-MNIST run's test images (from the folder its
 * config.json names, else Debian's), or the first {@value #ROWS} rows of a CSV run's data file.
 * Each is read once and kept while the server runs.
 */
final class Examples {

    /** Rows of a CSV file the viewer offers. */
    static final int ROWS = 1000;

    /** A CSV file's first rows. */
    record Rows(Path file, Csv.Table table) {}

    private final Map<Path, TensorDataset> images = new ConcurrentHashMap<>();
    private final Map<Path, Rows> rows = new ConcurrentHashMap<>();

    /** The test images of an image run: pixels in [0, 1] [N, 784] and labels [N]. */
    TensorDataset images(RunFiles run) {
        Map<String, Object> config = run.json("config.json");
        if (!"fashion-mnist".equals(config.get("data"))) {
            throw HttpError.notFound("run '" + run.name() + "' was not trained on Fashion-MNIST, so the viewer has no test images for it");
        }
        Path dir = config.get("data_dir") instanceof String d ? Path.of(d) : FashionMnist.DEBIAN_DIR;
        if (!FashionMnist.available(dir)) {
            throw HttpError.notFound("no test images: Fashion-MNIST is not in " + dir + " (apt-get install dataset-fashion-mnist)");
        }
        return images.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            try {
                return FashionMnist.test(d);
            } catch (IOException e) {
                throw new HttpError(500, "cannot read the test images in " + d + ": " + e.getMessage());
            }
        });
    }

    /** The first rows of a CSV run's data file. */
    Rows rows(RunFiles run) {
        Object data = run.json("config.json").get("data");
        if (!(data instanceof String s) || s.equals("fashion-mnist")) {
            throw HttpError.notFound("run '" + run.name() + "' names no CSV data file in config.json");
        }
        Path file = Path.of(s).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw HttpError.notFound("the run's data file " + file.getFileName() + " is no longer there");
        }
        return rows.computeIfAbsent(file, f -> {
            try (Csv.Reader r = Csv.stream(f)) {
                List<String[]> out = new ArrayList<>();
                List<Integer> lines = new ArrayList<>();
                for (Csv.Row row = r.next(); row != null && out.size() < ROWS; row = r.next()) {
                    out.add(row.fields());
                    lines.add(row.line());
                }
                return new Rows(f, new Csv.Table(f, r.header(), out, lines.stream().mapToInt(Integer::intValue).toArray()));
            } catch (IOException | RuntimeException e) {
                throw new HttpError(500, "cannot read " + f.getFileName() + ": " + e.getMessage());
            }
        });
    }
}
