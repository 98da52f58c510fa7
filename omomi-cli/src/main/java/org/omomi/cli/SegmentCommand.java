package org.omomi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.omomi.data.Csv;
import org.omomi.segment.Profile;
import org.omomi.segment.Scaling;
import org.omomi.segment.SegmentFolder;
import org.omomi.segment.SegmentModel;
import org.omomi.segment.Segmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omomi segment}: customer segmentation with weighted distances and learned metrics. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        subcommands = {SegmentGenerateCommand.class, SegmentRfmCommand.class, SegmentAssignCommand.class},
        description = {"Segment the customers of a CSV file with k-means in a chosen distance: plain (scaled features),",
            "weighted (--weights), with feature weights learned from the data (--learn-weights), or with a metric learned from",
            "known segments of some customers (--learn-metric nca|triplet --labels COL) or from must-link / cannot-link pairs (--pairs).",
            "Writes DIR/segments.csv (id, segment, distance), DIR/summary.json, DIR/profiles.csv, DIR/model.json (for 'assign')",
            "and the pictures weights.png, projection.png and, with --k auto, choose-k.png. See docs/segment.md."})
final class SegmentCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE.csv", description = "The customers: an id column, numeric and categorical columns.")
    Path data;

    @Option(names = "--k", defaultValue = "auto", paramLabel = "K|auto",
            description = "Segments, or auto: the k among --k-range that two of silhouette, elbow and Calinski–Harabasz pick, else the silhouette's (default: ${DEFAULT-VALUE}).")
    String k;

    @Option(names = "--k-range", defaultValue = "2-10", paramLabel = "MIN-MAX", description = "The k tried by --k auto (default: ${DEFAULT-VALUE}).")
    String kRange;

    @Option(names = "--scaling", defaultValue = "standard", paramLabel = "standard|robust|minmax|log|none",
            description = "How numeric features are scaled before distances (default: ${DEFAULT-VALUE}).")
    String scaling;

    @Option(names = "--weights", split = ",", paramLabel = "NAME=W",
            description = "Given feature weights, e.g. age=2,recency_days=0.5 (a column's weight applies to all its categories; others 1).")
    List<String> weights;

    @Option(names = "--learn-weights", description = "Learn one weight per feature without labels (feature-weighted k-means, Huang et al. 2005); needs a K.")
    boolean learnWeights;

    @Option(names = "--learn-metric", paramLabel = "nca|triplet",
            description = "Learn the distance: nca (a linear Mahalanobis metric) or triplet (a neural embedding), from --labels or --pairs.")
    String learnMetric;

    @Option(names = "--diagonal", description = "With --learn-metric nca: a diagonal metric (one weight per feature) rather than a full one.")
    boolean diagonal;

    @Option(names = "--labels", paramLabel = "COL",
            description = "A column of known segments: the metric learns from --label-fraction of them, and ARI and NMI are measured on the rest.")
    String labels;

    @Option(names = "--label-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Share of the labelled customers a metric learns from (default: ${DEFAULT-VALUE}).")
    double labelFraction;

    @Option(names = "--pairs", paramLabel = "FILE.csv", description = "Must-link / cannot-link pairs to learn the metric from: columns a, b (customer ids) and link (must|cannot).")
    Path pairs;

    @Option(names = "--id", paramLabel = "COL", description = "The id column (default: the first column, if its name ends in 'id').")
    String id;

    @Option(names = "--ignore", split = ",", paramLabel = "COL", description = "Columns that are no features.")
    List<String> ignore;

    @Option(names = "--categorical", split = ",", paramLabel = "COL", description = "Columns to treat as categorical even if they hold numbers.")
    List<String> categorical;

    @Option(names = "--restarts", defaultValue = "10", paramLabel = "N", description = "k-means++ starts; the lowest inertia wins (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--mini-batch", defaultValue = "0", paramLabel = "B", description = "Mini-batch k-means with batches of B rows, for large tables (default: 0, Lloyd's full passes).")
    int miniBatch;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--explain", paramLabel = "ID", description = "Also write DIR/customer-ID.json and .png: which features pulled this customer into its segment.")
    String explain;

    @Option(names = "--out", paramLabel = "DIR", description = "The result folder (created; a previous segmentation there is replaced).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (data == null || out == null) {
            throw new IllegalArgumentException("segment needs --data FILE.csv and --out DIR (or a subcommand: generate, rfm, assign)");
        }
        Segmenter.Method method = method();
        Integer kk = parseK();
        int[] range = parseRange();
        Segmenter.Options options = new Segmenter.Options(kk, range[0], range[1], Scaling.Kind.named(scaling), parseWeights(), method, diagonal, id,
                labels, labelFraction, set(ignore), set(categorical), restarts, miniBatch, seed);
        Csv.Table table = Csv.read(existing(data));
        Segmenter.IdPairs idPairs = pairs == null ? null : Segmenter.IdPairs.read(Csv.read(existing(pairs)));
        checkOut();
        Segmenter.Result r = Segmenter.run(table, options, idPairs);
        List<Path> written = new java.util.ArrayList<>(SegmentFolder.write(out, r, data.toString()));
        if (explain != null) {
            int row = r.customers().ids().indexOf(explain);
            if (row < 0) {
                throw new IllegalArgumentException("--explain: no customer '" + explain + "' in " + data);
            }
            SegmentModel.Explanation e = r.model().explain(r.scaled().slice(0, row, row + 1).contiguous(), r.customers().features());
            written.addAll(SegmentFolder.writeExplanation(out, explain, e));
        }
        report(r, written);
        return 0;
    }

    private void report(Segmenter.Result r, List<Path> written) {
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%d customers, %d features, %s; k = %d%s%n", r.customers().size(), r.customers().features().size(),
                r.options().method().label(), r.k(), r.selection() == null ? ""
                        : String.format(Locale.ROOT, " (silhouette %d, elbow %d, Calinski–Harabasz %d)", r.selection().bySilhouette(), r.selection().byElbow(),
                                r.selection().byCalinskiHarabasz()));
        pw.printf(Locale.ROOT, "silhouette %.4f, Davies–Bouldin %.4f%n", r.scores().silhouette(), r.scores().daviesBouldin());
        if (r.scores().ari() != null) {
            pw.printf(Locale.ROOT, "against '%s' on %d customers%s: ARI %.4f, NMI %.4f%n", r.options().labelColumn(), r.scores().evaluated(),
                    r.learnedFrom().length > 0 ? " the metric did not learn from" : "", r.scores().ari(), r.scores().nmi());
        }
        double[] w = r.featureWeights();
        Integer[] order = new Integer[w.length];
        for (int j = 0; j < w.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
        StringBuilder sb = new StringBuilder("feature weights:");
        for (int i = 0; i < Math.min(5, w.length); i++) {
            sb.append(String.format(Locale.ROOT, " %s %.1f%%", r.customers().features().get(order[i]), 100 * w[order[i]]));
            sb.append(i < Math.min(5, w.length) - 1 ? "," : "");
        }
        pw.println(sb);
        for (Profile p : r.profiles()) {
            pw.println(p.description());
        }
        pw.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        pw.flush();
    }

    private Segmenter.Method method() {
        if (learnMetric != null && learnWeights) {
            throw new IllegalArgumentException("--learn-weights and --learn-metric do not combine; choose one");
        }
        if (learnWeights) {
            return Segmenter.Method.LEARNED_WEIGHTS;
        }
        if (learnMetric == null) {
            if (pairs != null) {
                throw new IllegalArgumentException("--pairs supervises a learned metric; add --learn-metric nca|triplet");
            }
            if (diagonal) {
                throw new IllegalArgumentException("--diagonal shapes the NCA metric; add --learn-metric nca");
            }
            return Segmenter.Method.KMEANS;
        }
        return switch (learnMetric) {
            case "nca" -> Segmenter.Method.NCA;
            case "triplet" -> {
                if (diagonal) {
                    throw new IllegalArgumentException("--diagonal shapes the NCA metric, not the triplet embedding");
                }
                yield Segmenter.Method.TRIPLET;
            }
            default -> throw new IllegalArgumentException("--learn-metric: '" + learnMetric + "' is neither nca nor triplet");
        };
    }

    private Integer parseK() {
        if (k.equals("auto")) {
            return null;
        }
        try {
            int v = Integer.parseInt(k.strip());
            if (v < 1) {
                throw new IllegalArgumentException("--k must be at least 1, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--k: '" + k + "' is neither a number nor auto");
        }
    }

    private int[] parseRange() {
        String[] p = kRange.split("-");
        try {
            if (p.length == 2) {
                int lo = Integer.parseInt(p[0].strip());
                int hi = Integer.parseInt(p[1].strip());
                if (lo >= 2 && hi >= lo + 2) {
                    return new int[] {lo, hi};
                }
            }
        } catch (NumberFormatException ignored) {
            // the error below says what is expected
        }
        throw new IllegalArgumentException("--k-range: '" + kRange + "' should be MIN-MAX with 2 ≤ MIN and at least three values, e.g. 2-10");
    }

    private Map<String, Double> parseWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        if (weights == null) {
            return w;
        }
        for (String s : weights) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--weights: '" + s + "' should be NAME=WEIGHT, e.g. age=2");
            }
            try {
                w.put(s.substring(0, eq).strip(), Double.parseDouble(s.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--weights: '" + s.substring(eq + 1) + "' in '" + s + "' is not a number");
            }
        }
        return w;
    }

    /** Refuses a file, or a folder holding anything but a previous segmentation; the folder itself is made once there is a result. */
    private void checkOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is a file; --out needs a folder");
        }
        if (Files.isDirectory(out) && !Files.isRegularFile(out.resolve(SegmentModel.FILE))) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " is a folder with other files in it; choose another --out");
                }
            }
        }
    }

    static Path existing(Path f) throws NoSuchFileException {
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString());
        }
        return f;
    }

    static Set<String> set(List<String> v) {
        return v == null ? Set.of() : Set.copyOf(v.stream().map(String::strip).toList());
    }
}
