package org.omomi.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Any run folder's {@code importance.json} ({@code omomi explain --input all}, an application's
 * feature importance): its {@code importance} map as bars, largest first, at most
 * {@value #LIMIT}.
 */
public final class ImportanceView implements RunView {

    static final int LIMIT = 30;

    @Override
    public String id() {
        return "importance";
    }

    @Override
    public String title() {
        return "Feature importance";
    }

    @Override
    public boolean appliesTo(RunFiles run) {
        return run.json("importance.json").get("importance") instanceof Map<?, ?>;
    }

    @Override
    public List<Block> blocks(RunFiles run, Map<String, String> params) {
        Map<String, Object> j = run.json("importance.json");
        List<Map.Entry<String, Double>> entries = new ArrayList<>();
        if (j.get("importance") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> entries.add(Map.entry(String.valueOf(k), v instanceof Number n ? n.doubleValue() : Double.NaN)));
        }
        entries.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> Double.isNaN(e.getValue()) ? 0 : -Math.abs(e.getValue())));
        List<Map.Entry<String, Double>> top = entries.subList(0, Math.min(LIMIT, entries.size()));
        List<Block> out = new ArrayList<>();
        if (j.get("method") instanceof String method) {
            out.add(new Block.Text(method + (j.get("rows") instanceof Number n ? "; " + n.longValue() + " rows" : "")));
        }
        out.add(new Block.Bars(top.size() < entries.size() ? "The " + top.size() + " most important of " + entries.size() + " features"
                : "Importance of each feature", top.stream().map(Map.Entry::getKey).toList(),
                top.stream().map(Map.Entry::getValue).toList(), "importance"));
        return out;
    }
}
