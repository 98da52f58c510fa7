package org.omomi.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One piece of a {@link RunView}: data the run page knows how to draw, so a view needs no HTML or
 * JavaScript of its own. Each block becomes a JSON object with a {@code type}; the page draws bars
 * and points on a canvas, lines with uPlot, tables as tables, and a {@link Choice} as a menu that
 * asks the view again with the chosen value.
 */
public sealed interface Block {

    /** The JSON form the page reads (standard JSON: non-finite numbers become null). */
    Map<String, Object> toJson();

    /** Horizontal bars, one per label, largest magnitude first as given; {@code valueLabel} names the axis. */
    record Bars(String title, List<String> labels, List<Double> values, String valueLabel) implements Block {
        public Bars {
            labels = List.copyOf(labels);
            values = List.copyOf(values);
            if (labels.size() != values.size()) {
                throw new IllegalArgumentException("bars: " + labels.size() + " labels but " + values.size() + " values");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            return map("bars", "title", title, "labels", new ArrayList<Object>(labels), "values", new ArrayList<Object>(values),
                    "value_label", valueLabel);
        }
    }

    /**
     * Lines over a shared x axis: a calibration plot (x = predicted probability, "observed" and
     * "ideal"), a curve per cluster. Every series has one value per x (null where it has none).
     */
    record Lines(String title, String xLabel, String yLabel, List<Double> x, Map<String, List<Double>> series) implements Block {
        public Lines {
            x = List.copyOf(x);
            Map<String, List<Double>> s = new LinkedHashMap<>();
            for (Map.Entry<String, List<Double>> e : series.entrySet()) {
                if (e.getValue().size() != x.size()) {
                    throw new IllegalArgumentException("lines: series '" + e.getKey() + "' has " + e.getValue().size()
                            + " values for " + x.size() + " x values");
                }
                s.put(e.getKey(), new ArrayList<>(e.getValue())); // may hold nulls
            }
            series = s;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> s = new LinkedHashMap<>();
            series.forEach((k, v) -> s.put(k, new ArrayList<Object>(v)));
            return map("lines", "title", title, "x_label", xLabel, "y_label", yLabel, "x", new ArrayList<Object>(x), "series", s);
        }
    }

    /** A scatter plot: one point per (x, y), coloured by {@code group} (one per point, or empty for one colour). */
    record Points(String title, String xLabel, String yLabel, List<Double> x, List<Double> y, List<String> group) implements Block {
        public Points {
            x = List.copyOf(x);
            y = List.copyOf(y);
            group = List.copyOf(group);
            if (x.size() != y.size() || (!group.isEmpty() && group.size() != x.size())) {
                throw new IllegalArgumentException("points: " + x.size() + " x, " + y.size() + " y and " + group.size() + " groups");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            return map("points", "title", title, "x_label", xLabel, "y_label", yLabel, "x", new ArrayList<Object>(x),
                    "y", new ArrayList<Object>(y), "group", new ArrayList<Object>(group));
        }
    }

    /** A table of strings and numbers: a user's recommendations and why, a segment's profile. */
    record Table(String title, List<String> columns, List<List<Object>> rows) implements Block {
        public Table {
            columns = List.copyOf(columns);
            List<List<Object>> r = new ArrayList<>();
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("table: a row has " + row.size() + " cells for " + columns.size() + " columns");
                }
                r.add(new ArrayList<>(row)); // may hold nulls
            }
            rows = r;
        }

        @Override
        public Map<String, Object> toJson() {
            List<Object> r = new ArrayList<>();
            rows.forEach(row -> r.add(new ArrayList<Object>(row)));
            return map("table", "title", title, "columns", new ArrayList<Object>(columns), "rows", r);
        }
    }

    /** A PNG the run folder holds, by its relative path ({@link RunFiles#file}); served from the folder. */
    record Picture(String title, String file) implements Block {
        @Override
        public Map<String, Object> toJson() {
            return map("picture", "title", title, "file", file);
        }
    }

    /**
     * A menu: the page asks the view again with {@code parameter} set to the chosen option (which
     * user's recommendations, which segment), and the view's blocks for it replace these.
     */
    record Choice(String parameter, String label, List<String> options, String selected) implements Block {
        public Choice {
            options = List.copyOf(options);
        }

        @Override
        public Map<String, Object> toJson() {
            return map("choice", "parameter", parameter, "label", label, "options", new ArrayList<Object>(options), "selected", selected);
        }
    }

    /** A paragraph of plain text (never HTML). */
    record Text(String text) implements Block {
        @Override
        public Map<String, Object> toJson() {
            return map("text", "text", text);
        }
    }

    private static Map<String, Object> map(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
