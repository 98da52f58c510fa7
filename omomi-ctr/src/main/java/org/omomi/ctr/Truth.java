package org.omomi.ctr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters a generated click log was drawn from ({@code FILE.truth.json}, format
 * {@value #FORMAT}): what a trained model is judged against.
 *
 * @param bias        the intercept of the true logit
 * @param numeric     per numeric feature: its weight per standard deviation, and the population mean and std
 * @param effects     per categorical field: each value's additive effect on the logit
 * @param interaction the planted interaction between two fields, already multiplied by γ
 * @param noise       the features that have no effect at all
 * @param meanProbability the mean true click probability of the log's rows
 * @param clickRate   the fraction of rows that clicked
 */
public record Truth(double bias, Map<String, Weight> numeric, Map<String, Map<String, Double>> effects, Interaction interaction,
                    List<String> noise, double meanProbability, double clickRate) {

    public static final String FORMAT = "omomi.ctr.truth/1";

    /** A numeric feature's true weight per population standard deviation. */
    public record Weight(double weight, double mean, double std) {}

    /** The planted table T[row value, column value], added to the logit of impressions with that pair. */
    public record Interaction(String rowField, String columnField, List<String> rows, List<String> columns, double[][] table,
                              double strength, int rank) {}

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("bias", bias);
        Map<String, Object> num = new LinkedHashMap<>();
        numeric.forEach((k, w) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("weight_per_std", w.weight());
            o.put("mean", w.mean());
            o.put("std", w.std());
            num.put(k, o);
        });
        m.put("numeric", num);
        Map<String, Object> eff = new LinkedHashMap<>();
        effects.forEach((k, v) -> eff.put(k, new LinkedHashMap<String, Object>(v)));
        m.put("effects", eff);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("fields", List.of(interaction.rowField(), interaction.columnField()));
        in.put("strength", interaction.strength());
        in.put("rank", (long) interaction.rank());
        in.put("rows", new ArrayList<Object>(interaction.rows()));
        in.put("columns", new ArrayList<Object>(interaction.columns()));
        List<Object> t = new ArrayList<>();
        for (double[] row : interaction.table()) {
            List<Object> r = new ArrayList<>();
            for (double v : row) {
                r.add(v);
            }
            t.add(r);
        }
        in.put("table", t);
        m.put("interaction", in);
        m.put("noise", new ArrayList<Object>(noise));
        m.put("mean_probability", meanProbability);
        m.put("click_rate", clickRate);
        return m;
    }

    /** Reads {@link #toJson()}'s form. */
    @SuppressWarnings("unchecked")
    public static Truth fromJson(Map<String, Object> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("not a " + FORMAT + " file (format " + m.get("format") + ")");
        }
        Map<String, Weight> numeric = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("numeric")).forEach((k, v) -> {
            Map<String, Object> o = (Map<String, Object>) v;
            numeric.put(k, new Weight((Double) o.get("weight_per_std"), (Double) o.get("mean"), (Double) o.get("std")));
        });
        Map<String, Map<String, Double>> effects = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("effects")).forEach((k, v) -> {
            Map<String, Double> e = new LinkedHashMap<>();
            ((Map<String, Object>) v).forEach((a, b) -> e.put(a, (Double) b));
            effects.put(k, e);
        });
        Map<String, Object> in = (Map<String, Object>) m.get("interaction");
        List<Object> fields = (List<Object>) in.get("fields");
        List<Object> rows = (List<Object>) in.get("table");
        double[][] table = new double[rows.size()][];
        for (int i = 0; i < table.length; i++) {
            table[i] = ((List<Object>) rows.get(i)).stream().mapToDouble(o -> (Double) o).toArray();
        }
        Interaction interaction = new Interaction((String) fields.get(0), (String) fields.get(1),
                ((List<Object>) in.get("rows")).stream().map(String::valueOf).toList(),
                ((List<Object>) in.get("columns")).stream().map(String::valueOf).toList(), table,
                (Double) in.get("strength"), ((Double) in.get("rank")).intValue());
        return new Truth((Double) m.get("bias"), numeric, effects, interaction,
                ((List<Object>) m.get("noise")).stream().map(String::valueOf).toList(),
                (Double) m.get("mean_probability"), (Double) m.get("click_rate"));
    }
}
