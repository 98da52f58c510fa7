package org.omomi.ctr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.omomi.nn.Module;

/**
 * The pairwise table a factorization machine learned between two categorical fields: for each
 * value a of the first and b of the second, ⟨v_a, v_b⟩, the amount the pair adds to the logit
 * through the FM term. Needs vocabularies (with hashing a value has no name to show).
 *
 * <p>Comparing with a planted table: the row and column means of a pairwise table are
 * indistinguishable from the fields' own effects (a first-order weight carries them just as
 * well), so both tables are double-centered (each cell minus its row mean and column mean, plus
 * the grand mean) before their Pearson correlation over the cells both name.
 *
 * @param rowField    the first field
 * @param columnField the second field
 * @param rows        the first field's values
 * @param columns     the second field's values
 * @param table       [rows][columns]
 */
public record Interactions(String rowField, String columnField, List<String> rows, List<String> columns, double[][] table) {

    /** The learned table of a model with field vectors ({@link ClickModel#VECTORS}) between two fields. */
    public static Interactions learned(Module model, ClickFeatures features, String rowField, String columnField) {
        if (features.hashBuckets() > 0) {
            throw new IllegalArgumentException("the pairwise table needs vocabularies; these ids are hashed");
        }
        if (!model.stateDict().containsKey(ClickModel.VECTORS + ".weight")) {
            throw new IllegalArgumentException("this model has no field vectors (an lr has no pairwise table)");
        }
        float[] v = model.stateDict().get(ClickModel.VECTORS + ".weight").toArray();
        int k = model.stateDict().get(ClickModel.VECTORS + ".weight").size(1);
        int a = field(features, rowField);
        int b = field(features, columnField);
        List<String> rs = features.categorical().get(a).vocabulary();
        List<String> cs = features.categorical().get(b).vocabulary();
        double[][] t = new double[rs.size()][cs.size()];
        for (int i = 0; i < rs.size(); i++) {
            int ia = features.vocabularyId(a, rs.get(i));
            for (int j = 0; j < cs.size(); j++) {
                int ib = features.vocabularyId(b, cs.get(j));
                double dot = 0;
                for (int z = 0; z < k; z++) {
                    dot += (double) v[ia * k + z] * v[ib * k + z];
                }
                t[i][j] = dot;
            }
        }
        return new Interactions(rowField, columnField, rs, cs, t);
    }

    /** The planted table of a generated log. */
    public static Interactions of(Truth truth) {
        Truth.Interaction in = truth.interaction();
        return new Interactions(in.rowField(), in.columnField(), in.rows(), in.columns(), in.table());
    }

    private static int field(ClickFeatures f, String name) {
        int i = f.fieldNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no categorical field '" + name + "'; the fields are " + f.fieldNames());
        }
        return i;
    }

    /** The Pearson correlation of the two double-centered tables over the cells both have. */
    public double correlation(Interactions other) {
        Map<String, Integer> oRows = index(other.rows);
        Map<String, Integer> oCols = index(other.columns);
        List<int[]> ri = new ArrayList<>();
        List<int[]> ci = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Integer j = oRows.get(rows.get(i));
            if (j != null) {
                ri.add(new int[] {i, j});
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            Integer j = oCols.get(columns.get(i));
            if (j != null) {
                ci.add(new int[] {i, j});
            }
        }
        if (ri.size() < 2 || ci.size() < 2) {
            throw new IllegalArgumentException("the tables share fewer than two values of a field");
        }
        double[][] a = new double[ri.size()][ci.size()];
        double[][] b = new double[ri.size()][ci.size()];
        for (int i = 0; i < ri.size(); i++) {
            for (int j = 0; j < ci.size(); j++) {
                a[i][j] = table[ri.get(i)[0]][ci.get(j)[0]];
                b[i][j] = other.table[ri.get(i)[1]][ci.get(j)[1]];
            }
        }
        center(a);
        center(b);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                ab += a[i][j] * b[i][j];
                aa += a[i][j] * a[i][j];
                bb += b[i][j] * b[i][j];
            }
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static Map<String, Integer> index(List<String> values) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            m.put(values.get(i), i);
        }
        return m;
    }

    /** Subtracts row and column means and adds back the grand mean, in place. */
    static void center(double[][] t) {
        int n = t.length;
        int m = t[0].length;
        double[] rm = new double[n];
        double[] cm = new double[m];
        double g = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rm[i] += t[i][j] / m;
                cm[j] += t[i][j] / n;
                g += t[i][j] / ((double) n * m);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                t[i][j] -= rm[i] + cm[j] - g;
            }
        }
    }
}
