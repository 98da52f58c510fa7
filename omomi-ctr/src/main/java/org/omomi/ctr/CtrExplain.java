package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.explain.plot.BarChart;
import org.omomi.explain.plot.Png;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.nn.Module;
import org.omomi.tensor.Inputs;

/**
 * Which features weigh most in a trained click run: mean |Integrated Gradients| per feature and
 * field over held-out rows (with logistic regression's weights beside them), the article's table,
 * the pairwise table an FM learned between the generator's two interacting fields (with its
 * correlation to the planted one when the log's truth file is beside it), and optionally one
 * impression's attributions. Writes {@code RUN_DIR/importance.json} and {@code importance.png}
 * (and {@code row_N.png} for one impression).
 */
public final class CtrExplain {

    /** Impressions averaged over by default. */
    public static final int ROWS = 1000;

    /**
     * What an explanation found.
     *
     * @param importance   the mean |IG| (and weights) over held-out rows
     * @param article      the article's table, or null when the log lacks its three features
     * @param interaction  the FM's learned table between the planted fields, or null
     * @param interactionCorrelation its correlation with the planted table, NaN without a truth file
     * @param row          one impression's attributions, or null
     * @param rowLine      that impression's line in the log
     * @param json         importance.json's content
     */
    public record Result(ClickImportance importance, ArticleTable article, Interactions interaction, double interactionCorrelation,
                         FieldAttributions.Row row, int rowLine, Map<String, Object> json) {}

    private CtrExplain() {}

    /**
     * Explains the run in {@code runDir} on {@code rows} held-out rows of its log ({@code data}
     * overrides the log's path), and impression {@code row} (the row-th data row of the log, from
     * 1; 0 for none), from the {@code baseline} "mean" or "zero".
     */
    public static Result explain(Path runDir, Path data, int rows, int row, String baseline) throws IOException {
        CtrConfig config = CtrRun.readConfig(runDir);
        SavedModel saved = SavedModel.open(runDir);
        if (!(saved.preprocessing() instanceof ClickFeatures features)) {
            throw new IllegalArgumentException(runDir + ": not a click model (its preprocessing is not " + ClickFeatures.FORMAT + ")");
        }
        ClickLog log = data == null ? config.log() : new ClickLog(data, config.log().format(), config.log().label(),
                config.log().ignored(), config.log().skipBadRows());
        if (!Files.isRegularFile(log.file())) {
            throw new IllegalArgumentException(log.file() + ": no such file (the run's log); give its place with --data");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
        }
        Module model = saved.build();
        ModelKind kind = ClickModel.kindOf(saved.spec());
        HeldOut held = HeldOut.first(log, features, config.split(), rows);
        if (held == null) {
            throw new IllegalArgumentException(log.file() + ": no held-out rows to explain the model on");
        }
        Inputs reference = held.data().inputs();
        FieldAttributions.Baseline base = baseline(model, features, reference, baseline);
        ClickImportance importance = ClickImportance.of(model, features, kind, reference, base);

        Truth truth = null;
        Path truthFile = ClickGenerator.truthFile(log.file());
        if (Files.isRegularFile(truthFile)) {
            truth = readTruth(truthFile);
        }
        float[] dense = features.numericCount() == 0 ? new float[0] : model.stateDict().get(ClickModel.DENSE + ".weight").toArray();
        ArticleTable article = ArticleTable.of(features, config.model().startWeights(), dense, importance, truth);

        Interactions interaction = null;
        double correlation = Double.NaN;
        if (kind != ModelKind.LR && features.hashBuckets() == 0 && truth != null
                && features.fieldNames().contains(truth.interaction().rowField())
                && features.fieldNames().contains(truth.interaction().columnField())) {
            interaction = Interactions.learned(model, features, truth.interaction().rowField(), truth.interaction().columnField());
            correlation = interaction.correlation(Interactions.of(truth));
        }

        FieldAttributions.Row one = null;
        int line = 0;
        if (row > 0) {
            LogRow r = nthRow(log, row);
            line = r.line();
            int[] ids = new int[features.fieldCount()];
            float[] x = new float[features.numericCount()];
            features.encode(r.values(), log.file(), r.line(), ids, 0, x, 0);
            one = FieldAttributions.explain(model, features, features.inputs(ids, x, 1), base, FieldAttributions.STEPS).get(0);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "omomi.ctr.importance/1");
        json.put("model", kind.label());
        json.putAll(importance.toJson());
        if (article != null) {
            json.put("article_table", article.toJson());
        }
        if (interaction != null) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("fields", List.of(interaction.rowField(), interaction.columnField()));
            in.put("correlation_with_planted", correlation);
            json.put("interaction", in);
        }
        if (one != null) {
            json.put("row", rowJson(features, one, row, line));
        }
        AtomicFile.writeString(runDir.resolve("importance.json"), Json.write(json) + "\n");
        Png.write(chart(importance, kind), runDir.resolve("importance.png"));
        if (one != null) {
            Png.write(rowChart(features, one, row), runDir.resolve("row_" + row + ".png"));
        }
        return new Result(importance, article, interaction, correlation, one, line, json);
    }

    static FieldAttributions.Baseline baseline(Module model, ClickFeatures features, Inputs reference, String name) {
        switch (name) {
            case "mean": return FieldAttributions.Baseline.mean(model, features, reference);
            case "zero": return FieldAttributions.Baseline.zero(model, features);
            default: throw new IllegalArgumentException("unknown baseline '" + name + "'; use mean or zero");
        }
    }

    @SuppressWarnings("unchecked")
    static Truth readTruth(Path file) throws IOException {
        try {
            return Truth.fromJson((Map<String, Object>) Json.parse(Files.readString(file)));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": not a truth file of 'omomi ctr generate' (" + e.getMessage() + ")");
        }
    }

    /** The n-th data row of the log, from 1. */
    private static LogRow nthRow(ClickLog log, int n) throws IOException {
        try (LogReader reader = log.open()) {
            LogRow r = null;
            for (int i = 0; i < n; i++) {
                r = reader.next();
                if (r == null) {
                    throw new IllegalArgumentException(log.file() + ": --row " + n + " is past the last row (" + i + " rows)");
                }
            }
            return r;
        }
    }

    private static Map<String, Object> rowJson(ClickFeatures features, FieldAttributions.Row one, int row, int line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", (long) row);
        m.put("line", (long) line);
        m.put("logit", one.fx());
        m.put("probability", 1 / (1 + Math.exp(-one.fx())));
        m.put("baseline_logit", one.fBaseline());
        m.put("sum_attributions", one.sum());
        m.put("delta", one.delta());
        Map<String, Object> a = new LinkedHashMap<>();
        for (int j = 0; j < features.numericCount(); j++) {
            a.put(features.numericNames().get(j), (double) one.numeric()[j]);
        }
        for (int q = 0; q < features.fieldCount(); q++) {
            a.put(features.fieldNames().get(q), (double) one.fields()[q]);
        }
        m.put("attributions", a);
        return m;
    }

    private static java.awt.image.BufferedImage chart(ClickImportance imp, ModelKind kind) {
        BarChart c = new BarChart("What weighs most: mean |Integrated Gradients| (" + kind.label() + ", " + imp.rows() + " held-out rows)",
                "mean |attribution| to the logit");
        for (int i : imp.ranking()) {
            c.bar(imp.names().get(i) + (imp.numeric()[i] ? "" : " (field)"), imp.meanAbsIg()[i]);
        }
        return c.render(720);
    }

    private static java.awt.image.BufferedImage rowChart(ClickFeatures features, FieldAttributions.Row one, int row) {
        List<String> names = new ArrayList<>(features.numericNames());
        names.addAll(features.fieldNames());
        List<Double> values = new ArrayList<>();
        for (float v : one.numeric()) {
            values.add((double) v);
        }
        for (float v : one.fields()) {
            values.add((double) v);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(Math.abs(values.get(b)), Math.abs(values.get(a))));
        BarChart c = new BarChart(String.format(java.util.Locale.ROOT, "Row %d: logit %.3f = baseline %.3f + attributions (δ %.1e)", row,
                one.fx(), one.fBaseline(), one.delta()), "attribution to the logit").signed(true);
        for (int i : order) {
            c.bar(names.get(i), values.get(i));
        }
        return c.render(720);
    }
}
