package org.omomi.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.train.Head;
import org.omomi.train.RunLog;
import org.omomi.train.RunLogWriter;

/**
 * What the pages show of a run folder, read from its files alone: the list's row (name, model,
 * data, status, key metrics), the run's description (inputs, head, classes, what can be drawn) and
 * its run log, through core's {@link RunLog} so every line reaches the browser as standard JSON.
 * Each file is read again only when its size or time changes.
 */
final class RunInfo {

    /** A run with no metrics.json whose log or checkpoint changed this recently is called "in progress". */
    static final long RECENT_MILLIS = 5 * 60_000L;

    private record Stamp(long size, long millis) {
        static Stamp of(Path f) {
            try {
                return new Stamp(Files.size(f), Files.getLastModifiedTime(f).toMillis());
            } catch (IOException e) {
                return new Stamp(-1, -1);
            }
        }
    }

    private record Cached(Stamp stamp, List<Map<String, Object>> entries) {}

    private final Map<Path, Cached> logs = new ConcurrentHashMap<>();

    /**
     * Every line of the run's history.jsonl as a JSON object (standard: null for non-finite), in
     * order; empty when there is none yet. A line that does not parse ends the list there: it is a
     * file being written by another program, and the next read will have it.
     */
    List<Map<String, Object>> log(RunFiles run) {
        Path f = RunLogWriter.file(run.dir());
        Stamp s = Stamp.of(f);
        Cached c = logs.get(f);
        if (c != null && c.stamp.equals(s)) {
            return c.entries;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (s.size >= 0) {
            try {
                for (String line : Files.readAllLines(f)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        out.add(RunLog.parse(line.strip()).toJson());
                    } catch (RuntimeException e) {
                        break;
                    }
                }
            } catch (IOException e) {
                return c == null ? List.of() : c.entries;
            }
        }
        List<Map<String, Object>> frozen = List.copyOf(out);
        logs.put(f, new Cached(s, frozen));
        return frozen;
    }

    /** The list page's row for a run. */
    Map<String, Object> summary(RunFiles run, boolean live) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", run.name());
        m.put("kind", run.kind());
        m.put("model", modelName(run));
        m.put("data", dataName(run));
        Map<String, Object> metrics = run.json("metrics.json");
        m.put("status", status(run, live, metrics));
        List<Map<String, Object>> log = log(run);
        Map<String, Object> last = null;
        for (int i = log.size() - 1; i >= 0 && last == null; i--) {
            if ("epoch".equals(log.get(i).get("kind"))) {
                last = log.get(i);
            }
        }
        Map<String, Object> key = new LinkedHashMap<>();
        if (last != null) {
            key.put("epochs", last.get("epoch"));
            key.put("steps", last.get("step"));
            prefixed(key, "train_", last.get("train"));
            prefixed(key, "val_", last.get("val"));
        }
        metrics.forEach((k, v) -> {
            if (v instanceof Number) {
                key.put(k, v);
            }
        });
        run.json("summary.json").forEach((k, v) -> {
            if (v instanceof Number && !key.containsKey(k)) {
                key.put(k, v);
            }
        });
        m.put("metrics", key);
        m.put("updated", updated(run));
        return m;
    }

    private static void prefixed(Map<String, Object> into, String prefix, Object values) {
        if (values instanceof Map<?, ?> v) {
            v.forEach((k, x) -> into.put(prefix + k, x));
        }
    }

    /** training (a live feed in this process), finished (metrics.json or summary.json), in progress, or stopped. */
    static String status(RunFiles run, boolean live, Map<String, Object> metrics) {
        if (live) {
            return "training";
        }
        if (!metrics.isEmpty() || run.has("summary.json")) {
            return "finished";
        }
        long last = Math.max(updated(run), Stamp.of(run.dir().resolve("checkpoints").resolve("last.safetensors")).millis);
        return System.currentTimeMillis() - last < RECENT_MILLIS ? "in progress" : "stopped";
    }

    /** The latest time any of the run's own files changed, in milliseconds since 1970. */
    static long updated(RunFiles run) {
        long t = 0;
        for (String f : List.of("history.jsonl", "metrics.json", "summary.json", "model.safetensors", "config.json", "model.json")) {
            Path p = run.dir().resolve(f);
            if (Files.isRegularFile(p)) {
                try {
                    FileTime ft = Files.getLastModifiedTime(p);
                    t = Math.max(t, ft.toMillis());
                } catch (IOException e) {
                    // vanished between the two calls
                }
            }
        }
        return t;
    }

    static String modelName(RunFiles run) {
        return run.json("model.json").get("name") instanceof String s ? s : null;
    }

    /** fashion-mnist, or the data file's name (never its folder: the page may be seen by others). */
    static String dataName(RunFiles run) {
        Object d = run.json("config.json").get("data");
        if (!(d instanceof String s)) {
            return null;
        }
        return s.equals("fashion-mnist") ? s : Path.of(s).getFileName().toString();
    }

    /** The head of model.json, or null. */
    @SuppressWarnings("unchecked")
    static Head head(RunFiles run) {
        if (run.json("model.json").get("head") instanceof Map<?, ?> h) {
            try {
                return Head.fromJson((Map<String, Object>) h);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<String> classes(RunFiles run) {
        return run.json("model.json").get("head") instanceof Map<?, ?> h ? Head.classesOf((Map<String, Object>) h) : List.of();
    }

    /**
     * How the run's raw inputs become model inputs: preprocessing.json, or for Fashion-MNIST runs
     * that saved none (pixels left in [0, 1]) the plain image scaling; null when unknown.
     */
    static Preprocessing preprocessing(RunFiles run) {
        Map<String, Object> p = run.json("preprocessing.json");
        if (!p.isEmpty()) {
            try {
                return Preprocessing.fromJson(p);
            } catch (RuntimeException e) {
                return null;
            }
        }
        if ("fashion-mnist".equals(run.json("config.json").get("data"))) {
            return ImageScaling.none(new int[] {1, 28, 28});
        }
        return null;
    }

    /** The run page's description: model, head, inputs, what the page can draw for it, and the views that apply. */
    Map<String, Object> describe(RunFiles run, boolean live, List<RunView> views) {
        Map<String, Object> m = summary(run, live);
        Head head = head(run);
        if (head != null) {
            Map<String, Object> h = head.toJson(classes(run));
            m.put("head", h);
        }
        Preprocessing pre = preprocessing(run);
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (pre != null) {
            inputs.put("format", pre.format());
            List<String> fields = pre.fields();
            inputs.put("count", (long) fields.size());
            inputs.put("fields", new ArrayList<Object>(fields));
            if (pre instanceof ImageScaling s) {
                inputs.put("image", Map.of("channels", (long) s.shape()[0], "height", (long) s.shape()[1], "width", (long) s.shape()[2]));
                inputs.put("how", "rows of " + fields.size() + " pixels in [0, 1], row-major, by field (p0 …) or in order;"
                        + " or \"image\": a base64 PNG of " + s.shape()[2] + "×" + s.shape()[1] + " grey pixels");
            } else {
                inputs.put("how", "rows of named fields (numbers or strings as in the CSV file), or arrays in field order");
            }
            if (pre instanceof Tabular t) {
                inputs.put("model_inputs", new ArrayList<Object>(t.inputNames()));
            }
        }
        m.put("inputs", inputs);
        Map<String, Object> config = new LinkedHashMap<>(run.json("config.json"));
        for (String k : List.of("data", "data_dir", "test", "init_weights", "model")) {
            if (config.get(k) instanceof String s && Path.of(s).isAbsolute()) {
                config.put(k, Path.of(s).getFileName().toString()); // file names, not where they are on this machine
            }
        }
        m.put("config", config);
        m.put("metrics_file", run.json("metrics.json"));
        m.put("has_weights", run.has("model.safetensors"));
        m.put("explain", pre instanceof ImageScaling ? "images" : pre instanceof Tabular t && t.inputSize() > 0 ? "rows" : null);
        List<Object> v = new ArrayList<>();
        for (RunView view : views) {
            try {
                if (view.appliesTo(run)) {
                    v.add(Map.of("id", view.id(), "title", view.title()));
                }
            } catch (RuntimeException e) {
                // a view that cannot tell is not listed
            }
        }
        m.put("views", v);
        return m;
    }
}
