package org.omomi.recommend;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Csv;
import org.omomi.io.AtomicFile;
import org.omomi.io.Json;
import org.omomi.io.JsonFields;
import org.omomi.io.Provenance;
import org.omomi.io.SavedModel;
import org.omomi.train.Checkpoint;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/**
 * A recommender's run folder: a {@link SavedModel} (so {@code omomi inspect} and the other faces
 * read it as any model) plus what recommending needs beside the weights.
 * <pre>
 * DIR/model.json, model.safetensors, provenance.json   the graph and its weights (SavedModel)
 * DIR/recommend-train.json  what the training was started with (written first; for --resume)
 * DIR/history.jsonl, checkpoints/                       the trainer's run log and checkpoints
 * DIR/recommend.json      format omomi.recommend/1: the model kind, options, data summary, split, half-life
 * DIR/metrics.json        kind "recommend", the model, epochs and the last validation metrics (what the dashboard lists)
 * DIR/users.csv           user ids, in index order (row r is index r)
 * DIR/items.csv           item ids with title and genres, in index order
 * DIR/interactions.csv    user,item,rating,timestamp,split — the interaction index and the split
 * DIR/attention.json      learned attention weights, when trained with them
 * DIR/eval.json           written by the evaluation
 * </pre>
 * Every file is written atomically, the weights last, so a folder with weights is complete.
 *
 * @param attention learned attention weights, or null
 */
public record RecommendRun(Path dir, ModelKind kind, Training.Options options, Interactions data, Split split, ItemCatalog catalog,
                           Factors factors, double halfLife, AttentionWeights attention, Map<String, Object> info) {

    public static final String FORMAT = "omomi.recommend/1";

    /**
     * Trains on {@code data} with {@code split} and writes the folder; {@code files} are the data
     * files (hashed into provenance), {@code source} what to record about them (file, layout).
     */
    public static RecommendRun train(Interactions data, ItemCatalog catalog, Split split, Training.Options o, boolean learnAttention,
                                     Path dir, List<Path> files, Map<String, Object> source) throws IOException {
        return train(data, catalog, split, o, learnAttention, dir, files, source, null);
    }

    /** {@link #train}, continuing from {@code from}, a checkpoint of the run in {@code dir}, when it is not null. */
    public static RecommendRun train(Interactions data, ItemCatalog catalog, Split split, Training.Options o, boolean learnAttention,
                                     Path dir, List<Path> files, Map<String, Object> source, Checkpoint from) throws IOException {
        Files.createDirectories(dir);
        double halfLife = HalfLife.fromData(data, split);
        Training.Trained t = Training.train(data, split, o, dir, List.of(), from);
        AttentionWeights attention = null;
        if (learnAttention) {
            PreferenceVectors uniform = PreferenceVectors.calibrated(t.factors(), Weighting.UNIFORM, halfLife, null,
                    PreferenceVectors.History.training(data, split));
            attention = AttentionWeights.learn(t.factors(), data, split, halfLife, uniform.scale(), 10, o.seed());
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("format", FORMAT);
        info.put("model", o.model().id());
        info.put("options", o.toJson());
        Map<String, Object> d = new LinkedHashMap<>(source);
        d.put("users", (long) data.userCount());
        d.put("items", (long) data.itemCount());
        d.put("interactions", (long) data.size());
        d.put("explicit", data.explicit());
        d.put("timestamps", data.hasTimestamps());
        d.put("duplicates_merged", (long) data.duplicatesDropped());
        info.put("data", d);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("protocol", split.protocol());
        s.put("train", (long) split.train().length);
        s.put("validation", (long) split.validation().length);
        s.put("test", (long) split.test().length);
        info.put("split", s);
        info.put("half_life", halfLife);
        Trainer.Result r = t.result();
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("epochs_run", (long) r.epochs());
        tr.put("steps", r.steps());
        tr.put("seconds", r.seconds());
        tr.put("samples_per_second", r.samplesPerSecond());
        tr.put("stop_reason", r.stopReason());
        tr.put("train", new LinkedHashMap<String, Object>(r.train()));
        tr.put("validation", new LinkedHashMap<String, Object>(r.val()));
        info.put("training", tr);

        AtomicFile.writeString(dir.resolve("users.csv"), Csv.format(List.of("user"), rows(data.users().ids())));
        AtomicFile.writeString(dir.resolve("items.csv"), catalog.csv(data.items().ids()));
        writeInteractions(dir.resolve("interactions.csv"), data, split);
        if (attention != null) {
            AtomicFile.writeString(dir.resolve("attention.json"), Json.write(attention.toJson()) + "\n");
        }
        AtomicFile.writeString(dir.resolve("recommend.json"), Json.write(info) + "\n");
        AtomicFile.writeString(dir.resolve("metrics.json"), Json.write(metrics(o, r)) + "\n");
        Provenance prov = Provenance.now(o.seed(), files, o.toJson());
        SavedModel.of(t.spec(), t.model(), head(), List.of(), null, prov).save(dir);
        return new RecommendRun(dir, o.model(), o, data, split, catalog, t.factors(), halfLife, attention, info);
    }

    /** The file a training writes first: what it was started with, so that {@code --resume} can start it again. */
    public static final String START = "recommend-train.json";

    /** The start file's format. */
    public static final String START_FORMAT = "omomi.recommend.train/1";

    /**
     * Writes {@link #START}: the data files ({@code source}: file, layout, items_file) with their
     * SHA-256, the options, and whether attention is learned and validation held out.
     */
    public static void writeStart(Path dir, Map<String, Object> source, Training.Options o, boolean learnAttention, boolean validation)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", START_FORMAT);
        m.put("source", source);
        m.put("sha256", Provenance.sha256(Path.of(String.valueOf(source.get("file")))));
        m.put("options", o.toJson());
        m.put("attention", learnAttention);
        m.put("validation", validation);
        Files.createDirectories(dir);
        AtomicFile.writeString(dir.resolve(START), Json.write(m) + "\n");
    }

    /** What a run in {@code dir} was started with ({@link #writeStart}); refused when its data file changed since. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readStart(Path dir) throws IOException {
        Path f = dir.resolve(START);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(dir + ": not a recommender training to resume (no " + START + ")");
        }
        Map<String, Object> m;
        try {
            m = (Map<String, Object>) Json.parse(Files.readString(f));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage());
        }
        if (!START_FORMAT.equals(m.get("format")) || !(m.get("source") instanceof Map) || !(m.get("options") instanceof Map)) {
            throw new IllegalArgumentException(f + ": not an " + START_FORMAT + " file");
        }
        Path data = Path.of(String.valueOf(((Map<String, Object>) m.get("source")).get("file")));
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException(f + ": its data file " + data + " is gone");
        }
        if (!Provenance.sha256(data).equals(m.get("sha256"))) {
            throw new IllegalArgumentException(data + ": changed since the run in " + dir + " began; start a new run");
        }
        return m;
    }

    /**
     * metrics.json, what the dashboard lists of a finished run: the kind (its RunFiles.kind), the
     * model, the epochs, and the last epoch's validation metrics under {@code val_}.
     */
    private static Map<String, Object> metrics(Training.Options o, Trainer.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.recommend.metrics/1");
        m.put("kind", "recommend");
        m.put("model", o.model().id());
        m.put("epochs", (long) r.epochs());
        m.put("stop_reason", r.stopReason());
        r.val().forEach((name, v) -> m.put("val_" + name, v));
        return m;
    }

    /**
     * The head model.json records: one regression output — the predicted rating (MF) or the
     * ranking score (BPR, NCF), which recommend.json names.
     */
    static Head head() {
        return Head.regression(1, null);
    }

    private static List<String[]> rows(List<String> ids) {
        List<String[]> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(new String[] {id}));
        return out;
    }

    private static void writeInteractions(Path file, Interactions data, Split split) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("user,item,rating,timestamp,split\n");
            StringBuilder sb = new StringBuilder(64);
            for (int k = 0; k < data.size(); k++) {
                sb.setLength(0);
                sb.append(quote(data.users().id(data.user(k)))).append(',').append(quote(data.items().id(data.item(k)))).append(',')
                        .append(Float.toString(data.rating(k)).replaceFirst("\\.0$", "")).append(',')
                        .append(data.hasTimestamps() ? Long.toString(data.time(k)) : "").append(',')
                        .append(Split.name(split.label(k))).append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }

    private static String quote(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Opens a run folder written by {@link #train}; errors name the file. */
    @SuppressWarnings("unchecked")
    public static RecommendRun open(Path dir) throws IOException {
        Path infoFile = dir.resolve("recommend.json");
        if (!Files.isRegularFile(infoFile)) {
            throw new IllegalArgumentException(dir + ": not a recommender run folder (no recommend.json; train one with 'omomi recommend train')");
        }
        Map<String, Object> info = Json.readObject(infoFile);
        if (!FORMAT.equals(info.get("format"))) {
            throw new IllegalArgumentException(infoFile + ": format " + JsonFields.describe(info.get("format")) + ", expected " + FORMAT);
        }
        Training.Options o;
        String protocol;
        try {
            o = Training.Options.fromJson(JsonFields.object(info, "options"));
            protocol = String.valueOf(JsonFields.object(info, "split").get("protocol"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(infoFile + ": " + e.getMessage(), e);
        }
        Interactions.Ids users = ids("user", dir.resolve("users.csv"));
        ItemCatalog catalog = ItemCatalog.read(dir.resolve("items.csv"));
        Interactions.Ids items = ids("item", dir.resolve("items.csv"));
        Interactions.Builder b = new Interactions.Builder();
        List<Byte> labels = new ArrayList<>();
        Path inter = dir.resolve("interactions.csv");
        try (Csv.Reader r = Csv.stream(inter)) {
            int cu = r.column("user");
            int ci = r.column("item");
            int cr = r.column("rating");
            int ct = r.column("timestamp");
            int cs = r.column("split");
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                String[] f = row.fields();
                try {
                    b.add(f[cu], f[ci], Float.parseFloat(f[cr]), f[ct].isEmpty() ? Interactions.NO_TIME : Long.parseLong(f[ct]));
                    labels.add(Split.parse(f[cs]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(inter + " line " + row.line() + ": " + JsonFields.printable(String.valueOf(e.getMessage())), e);
                }
            }
        }
        Interactions data;
        try {
            data = b.build(users, items);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inter + ": " + JsonFields.printable(String.valueOf(e.getMessage())), e);
        }
        if (data.size() != labels.size()) {
            throw new IllegalArgumentException(inter + ": repeated (user, item) pairs; the file was not written by omomi");
        }
        byte[] l = new byte[labels.size()];
        for (int k = 0; k < l.length; k++) {
            l[k] = labels.get(k);
        }
        Split split = Split.of(l, protocol);
        SavedModel saved = SavedModel.open(dir);
        Factors factors;
        try {
            factors = Factors.of(o.model(), saved.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(infoFile + ": model '" + o.model().id() + "' does not fit model.json ("
                    + JsonFields.printable(String.valueOf(e.getMessage())) + ")", e);
        }
        if (factors.userCount() != users.size() || factors.itemCount() != items.size()) {
            throw new IllegalArgumentException(dir + ": the model has " + factors.userCount() + " users and " + factors.itemCount()
                    + " items, users.csv and items.csv list " + users.size() + " and " + items.size());
        }
        AttentionWeights attention = null;
        Path att = dir.resolve("attention.json");
        if (Files.isRegularFile(att)) {
            Map<String, Object> a = Json.readObject(att);
            try {
                attention = AttentionWeights.fromJson(a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(att + ": " + e.getMessage(), e);
            }
        }
        double halfLife = info.get("half_life") instanceof Number n ? n.doubleValue() : HalfLife.fromData(data, split);
        return new RecommendRun(dir, o.model(), o, data, split, catalog, factors, halfLife, attention, info);
    }

    /** The ids a run folder's users.csv or items.csv lists, in order; an error names the file. */
    private static Interactions.Ids ids(String what, Path file) throws IOException {
        List<String> listed = column(file, what);
        try {
            return Interactions.Ids.of(what, listed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> column(Path file, String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (Csv.Reader r = Csv.stream(file)) {
            int c = r.column(name);
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                out.add(row.fields()[c]);
            }
        }
        return out;
    }
}
