package org.omomi.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.tensor.Rng;

/**
 * Tables drawn from a known linear model, for checking that a fit recovers it: logistic data
 * (y ~ Bernoulli(σ(η))) and linear data (y = η + noise), with η = b + Σⱼ βⱼ·zⱼ, zⱼ the j-th column
 * standardized by its population mean and standard deviation. βⱼ are therefore the weights a model
 * fitted on standardized columns should find, and |βⱼ| orders the columns by importance.
 *
 * <p><b>Columns.</b> Numeric columns xⱼ = μⱼ + σⱼ·N(0, 1), with μⱼ in [−50, 50] and σⱼ from 0.1 to
 * 100 (log-uniform), so an unstandardized fit would be badly conditioned; and, from five columns
 * on, categorical variables of 3 levels (and from fifteen on, also one of 4 levels) with unequal
 * level frequencies, each entering as one 0/1 column per level but the first (reference coding, so
 * the maximum-likelihood fit with an intercept is unique). A level column's standardized weight
 * βⱼ is γⱼ·√(qⱼ(1 − qⱼ)) for raw effect γⱼ and frequency qⱼ.
 *
 * <p><b>Weights.</b> Magnitudes halve from the strongest: 1.6 for one column, 0.8 for the next
 * two, 0.4 for the next four, and so on, but never below {@code smallest} (the rest get the
 * smallest level), so that every two magnitudes differ by 2× or more or are equal, and a caller
 * can keep the smallest above what its sample size can resolve. Signs are random, and magnitudes
 * are dealt to the columns in a random order, both from the seed.
 *
 * <p>Everything is a function of the seed: the same seed gives the same design and rows.
 */
public final class SyntheticTables {

    /** The bias b of η; slightly below 0, so logistic classes are a little unbalanced. */
    public static final double BIAS = -0.3;

    /** The model rows are drawn from: column names and kinds, weights, and how raw columns are made. */
    public static final class Design {
        private final int columns;
        private final List<String> names = new ArrayList<>();
        private final boolean[] categorical;
        private final double[] beta;
        private final double[] mu;
        private final double[] sigma;
        /** Per categorical variable: first column, level frequencies (level 0 is the reference). */
        private final List<int[]> variables = new ArrayList<>();
        private final List<double[]> frequencies = new ArrayList<>();
        private final List<String> variableNames = new ArrayList<>();
        private final long seed;

        private Design(long seed, int columns, double smallest) {
            if (columns < 1) {
                throw new IllegalArgumentException("a design needs at least one column, got " + columns);
            }
            this.seed = seed;
            this.columns = columns;
            Rng rng = new Rng(seed);
            categorical = new boolean[columns];
            mu = new double[columns];
            sigma = new double[columns];
            int catColumns = (columns >= 5 ? 2 : 0) + (columns >= 15 ? 3 : 0);
            int numeric = columns - catColumns;
            for (int j = 0; j < numeric; j++) {
                names.add("x" + j);
                mu[j] = -50 + 100 * rng.nextDouble();
                sigma[j] = Math.pow(10, -1 + 3 * rng.nextDouble());
            }
            int next = numeric;
            if (columns >= 5) {
                next = addCategorical("colour", new double[] {0.5, 0.3, 0.2}, next);
            }
            if (columns >= 15) {
                next = addCategorical("device", new double[] {0.4, 0.3, 0.2, 0.1}, next);
            }
            double halvings = Math.log(1.6 / smallest) / Math.log(2);
            if (!(halvings >= 0) || Math.abs(halvings - Math.rint(halvings)) > 1e-9) {
                throw new IllegalArgumentException("smallest must be 1.6 halved a whole number of times (0.8, 0.4, 0.2, …), got " + smallest);
            }
            double[] magnitudes = new double[columns];
            for (int k = 0; k < columns; k++) {
                int level = 31 - Integer.numberOfLeadingZeros(k + 1); // 0 for k = 0, 1 for 1..2, 2 for 3..6, …
                magnitudes[k] = Math.max(smallest, 1.6 / (1L << Math.min(level, 60)));
            }
            int[] order = rng.permutation(columns);
            beta = new double[columns];
            for (int k = 0; k < columns; k++) {
                beta[order[k]] = (rng.nextDouble() < 0.5 ? -1 : 1) * magnitudes[k];
            }
        }

        private int addCategorical(String name, double[] q, int first) {
            variables.add(new int[] {first, q.length - 1});
            frequencies.add(q);
            variableNames.add(name);
            for (int l = 1; l < q.length; l++) {
                names.add(name + "=" + (char) ('a' + l));
                categorical[first + l - 1] = true;
                mu[first + l - 1] = q[l];
                sigma[first + l - 1] = Math.sqrt(q[l] * (1 - q[l]));
            }
            return first + q.length - 1;
        }

        public int columns() {
            return columns;
        }

        /** Column names: x0, x1, … for numeric columns, colour=b, colour=c, device=b, … for level columns. */
        public List<String> names() {
            return List.copyOf(names);
        }

        /** Whether column j is a 0/1 level column. */
        public boolean isCategorical(int j) {
            return categorical[j];
        }

        /** The true weights on standardized columns. */
        public double[] weights() {
            return beta.clone();
        }

        /** The column with the largest |βⱼ|. */
        public int strongest() {
            int best = 0;
            for (int j = 1; j < columns; j++) {
                if (Math.abs(beta[j]) > Math.abs(beta[best])) {
                    best = j;
                }
            }
            return best;
        }

        /** {@code rows} logistic rows, drawn with a generator split from the design's seed and {@code draw}. */
        public Table logistic(int rows, long draw) {
            return sample(rows, draw, true, 0);
        }

        /** {@code rows} linear rows: y = η + N(0, noise²). */
        public Table linear(int rows, long draw, double noise) {
            return sample(rows, draw, false, noise);
        }

        private Table sample(int rows, long draw, boolean logistic, double noise) {
            Rng rng = new Rng(seed * 1_000_003L + draw);
            double[] x = new double[rows * columns];
            double[] y = new double[rows];
            double[] eta = new double[rows];
            int[][] levels = new int[rows][variables.size()];
            for (int i = 0; i < rows; i++) {
                double e = BIAS;
                for (int j = 0; j < columns; j++) {
                    if (!categorical[j]) {
                        double z = rng.nextGaussian();
                        x[i * columns + j] = mu[j] + sigma[j] * z;
                        e += beta[j] * z;
                    }
                }
                for (int v = 0; v < variables.size(); v++) {
                    double[] q = frequencies.get(v);
                    double u = rng.nextDouble();
                    int level = 0;
                    double acc = q[0];
                    while (u >= acc && level < q.length - 1) {
                        level++;
                        acc += q[level];
                    }
                    levels[i][v] = level;
                    int first = variables.get(v)[0];
                    for (int l = 1; l < q.length; l++) {
                        int j = first + l - 1;
                        double d = level == l ? 1 : 0;
                        x[i * columns + j] = d;
                        e += beta[j] * (d - mu[j]) / sigma[j];
                    }
                }
                eta[i] = e;
                y[i] = logistic ? (rng.nextDouble() < 1 / (1 + Math.exp(-e)) ? 1 : 0) : e + noise * rng.nextGaussian();
            }
            return new Table(this, rows, x, y, eta, levels);
        }
    }

    /**
     * Rows of a design.
     *
     * @param x      raw columns, rows × columns, row-major (level columns 0/1)
     * @param y      targets: 0/1, or real values
     * @param eta    the true linear predictor η of each row (the true model's score)
     * @param levels per row, the level index of each categorical variable (for writing a CSV file)
     */
    public record Table(Design design, int rows, double[] x, double[] y, double[] eta, int[][] levels) {

        /**
         * The rows as a CSV file with a header: numeric columns as numbers, each categorical variable
         * as one text column of its level names (a, b, c, …), and the target last as {@code target}.
         */
        public String csv(String target) {
            Design d = design;
            StringBuilder sb = new StringBuilder();
            List<String> header = new ArrayList<>();
            for (int j = 0; j < d.columns; j++) {
                if (!d.categorical[j]) {
                    header.add(d.names.get(j));
                }
            }
            header.addAll(d.variableNames);
            header.add(target);
            sb.append(String.join(",", header)).append('\n');
            for (int i = 0; i < rows; i++) {
                List<String> cells = new ArrayList<>();
                for (int j = 0; j < d.columns; j++) {
                    if (!d.categorical[j]) {
                        cells.add(String.format(Locale.ROOT, "%.6g", x[i * d.columns + j]));
                    }
                }
                for (int v = 0; v < d.variables.size(); v++) {
                    cells.add(String.valueOf((char) ('a' + levels[i][v])));
                }
                cells.add(y[i] == Math.rint(y[i]) && Math.abs(y[i]) < 1e6 ? Long.toString((long) y[i]) : String.format(Locale.ROOT, "%.6g", y[i]));
                sb.append(String.join(",", cells)).append('\n');
            }
            return sb.toString();
        }
    }

    private SyntheticTables() {}

    /**
     * The design of {@code columns} columns for {@code seed}, its weight magnitudes 1.6, 0.8, 0.4, …
     * down to {@code smallest}, which must be one of them.
     */
    public static Design design(long seed, int columns, double smallest) {
        return new Design(seed, columns, smallest);
    }
}
