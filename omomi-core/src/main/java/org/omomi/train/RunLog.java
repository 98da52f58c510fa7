package org.omomi.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;

/**
 * A run's {@code history.jsonl} (format {@value #FORMAT}, docs/runlog.md): one JSON object per
 * line, an {@link EpochRecord} after every epoch and, when asked, a {@link StepRecord} every few
 * steps. The same code writes and reads both, so what training writes is what a report, the
 * dashboard or a resumed run reads back.
 *
 * <p>Lines are standard JSON: a number that is not finite (a diverged loss) is written as
 * {@code null}, which a browser's {@code JSON.parse} accepts, and read back as NaN. Older logs that
 * wrote {@code NaN} and {@code Infinity} still read.
 */
public final class RunLog {

    /** The format every line carries. */
    public static final String FORMAT = "omomi.runlog/1";

    /** One line of the run log. */
    public sealed interface Entry permits EpochRecord, StepRecord {
        /** The JSON object of the line, {@code format} and {@code kind} first. */
        Map<String, Object> toJson();
    }

    private final List<EpochRecord> epochs;
    private final List<StepRecord> steps;

    private RunLog(List<EpochRecord> epochs, List<StepRecord> steps) {
        this.epochs = Collections.unmodifiableList(epochs);
        this.steps = Collections.unmodifiableList(steps);
    }

    /** The text of one line (without the newline). */
    public static String line(Entry e) {
        return Json.writeStandard(e.toJson());
    }

    /** Reads one line; an error says what is wrong with it. */
    public static Entry parse(String line) {
        Object o = Json.parse(line);
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not a run-log line (expected a JSON object)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        Object kind = m.get("kind");
        if ("epoch".equals(kind)) {
            return EpochRecord.fromJson(m);
        }
        if ("step".equals(kind)) {
            return StepRecord.fromJson(m);
        }
        throw new IllegalArgumentException("not a run-log line (kind " + org.omomi.io.JsonFields.describe(kind) + ")");
    }

    /** Reads a run log; a line that is not one is an error naming the file and line. */
    public static RunLog read(Path file) throws IOException {
        List<EpochRecord> epochs = new ArrayList<>();
        List<StepRecord> steps = new ArrayList<>();
        List<String> lines = Json.readText(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).trim();
            if (text.isEmpty()) {
                continue;
            }
            Entry e;
            try {
                e = parse(text);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + ex.getMessage());
            }
            if (e instanceof EpochRecord r) {
                epochs.add(r);
            } else {
                steps.add((StepRecord) e);
            }
        }
        return new RunLog(epochs, steps);
    }

    /** Reads a list of entries from lines already in memory (a resumed run's first lines). */
    public static List<Entry> parseAll(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        lines.forEach(l -> out.add(parse(l)));
        return out;
    }

    public List<EpochRecord> epochs() {
        return epochs;
    }

    public List<StepRecord> steps() {
        return steps;
    }

    // ------------------------------------------------------------------ JSON helpers for the records

    static Map<String, Object> head(String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("kind", kind);
        return m;
    }

    /** A number, or NaN for null (a non-finite value) or absence. */
    static double number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static long whole(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' must be a number");
        }
        return n.longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    static Map<String, Double> numbers(Map<String, Object> m, String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        object(m, key).forEach((k, v) -> out.put(k, v instanceof Number n ? n.doubleValue() : Double.NaN));
        return out;
    }
}
