package org.omomi.ctr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The article's table, answered by a trained model: its three features — the user's age, the
 * interest-category match and the ad's frequency — with the weights they started from
 * (0.1, 0.9, 0.4) beside the ones they learned (per standard deviation: the first-order weight of
 * the standardized feature), their mean |Integrated Gradients|, and, for a generated log, the
 * true weight. The article's sentence, "interest match now weighs most", is made only when the
 * numbers say so: interest match has the largest |learned weight| and the largest mean |IG| of
 * the three.
 *
 * @param rows one per article feature the model has, in the article's order
 */
public record ArticleTable(List<Line> rows) {

    /** The article's features, in its order. */
    public static final List<String> FEATURES = List.of("age", "interest_match", "ad_frequency");

    /** One feature: starting weight, learned weight, mean |IG|, true weight (NaN when unknown). */
    public record Line(String feature, double start, double learned, double meanAbsIg, double truth) {}

    /** The table of a model, or null when the log lacks one of the three features. */
    public static ArticleTable of(ClickFeatures features, Map<String, Double> start, float[] denseWeights, ClickImportance importance,
                                  Truth truth) {
        List<Line> lines = new ArrayList<>();
        for (String name : FEATURES) {
            int j = features.numericNames().indexOf(name);
            if (j < 0) {
                return null;
            }
            double t = truth != null && truth.numeric().containsKey(name) ? truth.numeric().get(name).weight() : Double.NaN;
            lines.add(new Line(name, start.getOrDefault(name, 0.0), denseWeights[j], importance.meanAbsIg(name), t));
        }
        return new ArticleTable(lines);
    }

    /** Whether interest match has the largest |learned weight| and the largest mean |IG| of the three. */
    public boolean interestWeighsMost() {
        Line interest = rows.get(1);
        for (Line l : rows) {
            if (l != interest && (Math.abs(l.learned()) >= Math.abs(interest.learned()) || l.meanAbsIg() >= interest.meanAbsIg())) {
                return false;
            }
        }
        return true;
    }

    /** The sentence the article promises, when the numbers support it; otherwise what they do say. */
    public String verdict() {
        if (interestWeighsMost()) {
            return "interest match now weighs most";
        }
        Line top = rows.get(0);
        for (Line l : rows) {
            if (Math.abs(l.learned()) > Math.abs(top.learned())) {
                top = l;
            }
        }
        return "interest match does not weigh most here: the largest learned weight is " + top.feature().replace('_', ' ');
    }

    /** The table as text. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        boolean truth = rows.stream().anyMatch(l -> !Double.isNaN(l.truth()));
        sb.append(String.format(Locale.ROOT, "  %-16s %9s %9s %12s%s%n", "feature", "starting", "learned", "mean |IG|", truth ? "      true" : ""));
        for (Line l : rows) {
            sb.append(String.format(Locale.ROOT, "  %-16s %9.3f %9.3f %12.4f%s%n", l.feature(), l.start(), l.learned(), l.meanAbsIg(),
                    truth ? String.format(Locale.ROOT, " %9.3f", l.truth()) : ""));
        }
        return sb.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> r = new ArrayList<>();
        for (Line l : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("feature", l.feature());
            o.put("starting_weight", l.start());
            o.put("learned_weight", l.learned());
            o.put("mean_abs_ig", l.meanAbsIg());
            if (!Double.isNaN(l.truth())) {
                o.put("true_weight", l.truth());
            }
            r.add(o);
        }
        m.put("rows", r);
        m.put("interest_match_weighs_most", interestWeighsMost());
        m.put("verdict", verdict());
        return m;
    }
}
